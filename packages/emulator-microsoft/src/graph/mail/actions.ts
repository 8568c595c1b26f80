/**
 * Message actions: sendMail, send (a draft), reply / replyAll / forward (202), their draft
 * variants createReply / createReplyAll / createForward (201), and move / copy (201; a moved
 * message has a new id). Sending delivers to recipients who are emulator users.
 */
import { composeMessage } from '../../data/mail/compose.ts';
import type { Mailbox } from '../../data/mail/mailbox.ts';
import { readMessageFields, readRecipients, type MessageFields } from '../../data/mail/message-input.ts';
import type { Recipient, StoredMessage } from '../../data/mail/model.ts';
import { sendMessage } from '../../data/mail/transport.ts';
import { optionalBoolean, optionalString, type Json } from '../../input.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { isoSeconds } from '../format.ts';
import { OutlookErrors } from '../outlook-errors.ts';
import type { Route } from '../router/match.ts';
import { bodyAs } from './body.ts';
import { getFolder, getMessage, mimeMessage, openMailbox } from './mailbox-access.ts';
import { checkMessageBody, messageEntity } from './messages.ts';

const hasRecipients = (m: StoredMessage) => m.toRecipients.length + m.ccRecipients.length + m.bccRecipients.length > 0;

function send(call: GraphCall, mailbox: Mailbox, m: StoredMessage, saveToSentItems: boolean): void {
  if (!hasRecipients(m)) throw OutlookErrors.noRecipients();
  sendMessage(mailbox, m, { saveToSentItems }, call.store, call.store.transport);
}

function sendMail(call: GraphCall): GraphResult {
  const ctx = openMailbox(call, RULES.mailSend);
  const mime = mimeMessage(call);
  if (mime) {
    send(call, ctx.mailbox, composeMessage(ctx.mailbox, mime, { folderId: ctx.mailbox.folder('drafts')!.id, isDraft: true }), true);
    return { status: 202 };
  }
  const o = call.json();
  const message = o.message;
  if (typeof message !== 'object' || message === null || Array.isArray(message)) throw OutlookErrors.invalidRequest("The request body must contain a 'message' object.");
  checkMessageBody(message as Json);
  const save = optionalBoolean(o, 'saveToSentItems', 'body') ?? true;
  const m = composeMessage(ctx.mailbox, readMessageFields(message as Json, 'message'), { folderId: ctx.mailbox.folder('drafts')!.id, isDraft: true });
  send(call, ctx.mailbox, m, save);
  return { status: 202 };
}

function sendDraft(call: GraphCall): GraphResult {
  const ctx = openMailbox(call, RULES.mailSend);
  const m = getMessage(ctx.mailbox, call.param('messageId'));
  if (!m.isDraft) throw OutlookErrors.invalidRequest('Only a draft message can be sent.');
  send(call, ctx.mailbox, m, true);
  return { status: 202 };
}

type ReplyKind = 'reply' | 'replyAll' | 'forward';

const same = (a: Recipient, b: string) => a.emailAddress.address.toLowerCase() === b.toLowerCase();

function quoted(original: StoredMessage, comment: string): string {
  const list = (rs: Recipient[]) => rs.map((r) => `${r.emailAddress.name} &lt;${r.emailAddress.address}&gt;`).join('; ');
  const header = [
    `<b>From:</b> ${original.from ? list([original.from]) : ''}`,
    `<b>Sent:</b> ${isoSeconds(original.sentAt ?? original.createdAt)}`,
    `<b>To:</b> ${list(original.toRecipients)}`,
    ...(original.ccRecipients.length ? [`<b>Cc:</b> ${list(original.ccRecipients)}`] : []),
    `<b>Subject:</b> ${original.subject}`,
  ].join('<br>\r\n');
  const body = bodyAs(original.body, 'html').content.replace(/^[\s\S]*<body[^>]*>/i, '').replace(/<\/body>[\s\S]*$/i, '');
  return `<html><body><div>${comment}</div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr">${header}</div><div>${body}</div></body></html>`;
}

/** The message a reply, reply-all or forward becomes, before it is sent or saved as a draft. */
function derive(call: GraphCall, mailbox: Mailbox, original: StoredMessage, kind: ReplyKind, draft: boolean): StoredMessage {
  const o = call.json();
  const comment = optionalString(o, 'comment', 'body') ?? '';
  const messageIn = (o.message ?? {}) as Json;
  if (typeof messageIn !== 'object' || Array.isArray(messageIn)) throw OutlookErrors.invalidRequest("'message' must be an object.");
  checkMessageBody(messageIn);
  const fields: MessageFields = readMessageFields(messageIn, 'message');
  if (o.comment !== undefined && fields.body) throw OutlookErrors.invalidRequest('Both comment and message.body cannot be specified.');
  const self = mailbox.identity().emailAddress.address;
  if (kind === 'forward') {
    const top = readRecipients(o, 'toRecipients', 'body');
    if (!draft && !!top === !!fields.toRecipients) throw OutlookErrors.invalidRequest('Specify either toRecipients or message.toRecipients, not both and not neither.');
    fields.toRecipients = top ?? fields.toRecipients ?? [];
  } else if (!fields.toRecipients) {
    const back = original.replyTo.length > 0 ? original.replyTo : original.from ? [original.from] : [];
    fields.toRecipients = kind === 'replyAll' ? [...back, ...original.toRecipients.filter((r) => !same(r, self))] : back;
    if (kind === 'replyAll' && !fields.ccRecipients) fields.ccRecipients = original.ccRecipients.filter((r) => !same(r, self));
  }
  const prefix = kind === 'forward' ? 'FW: ' : 'RE: ';
  fields.subject ??= original.subject.startsWith(prefix) ? original.subject : `${prefix}${original.subject}`;
  fields.body ??= { contentType: 'html', content: quoted(original, comment) };
  if (kind === 'forward' && !fields.attachments) {
    fields.attachments = original.attachments.map((a) => ({ name: a.name, contentType: a.contentType, bytes: Buffer.from(a.bytes), isInline: a.isInline, contentId: a.contentId }));
  }
  return composeMessage(mailbox, fields, {
    folderId: mailbox.folder('drafts')!.id,
    isDraft: true,
    threadKey: original.threadKey,
    inReplyTo: original.internetMessageId,
  });
}

const respond =
  (kind: ReplyKind): GraphHandler =>
  (call) => {
    const ctx = openMailbox(call, RULES.mailSend);
    const original = getMessage(ctx.mailbox, call.param('messageId'));
    send(call, ctx.mailbox, derive(call, ctx.mailbox, original, kind, false), true);
    return { status: 202 };
  };

const createResponse =
  (kind: ReplyKind): GraphHandler =>
  (call) => {
    const ctx = openMailbox(call, RULES.mailWrite);
    const original = getMessage(ctx.mailbox, call.param('messageId'));
    const draft = ctx.mailbox.insertMessage(derive(call, ctx.mailbox, original, kind, true));
    return messageEntity(call, ctx, draft.id, 201);
  };

function destination(call: GraphCall, mailbox: Mailbox) {
  const ref = optionalString(call.json(), 'destinationId', 'body');
  if (!ref) throw OutlookErrors.invalidRequest("The 'destinationId' parameter is required.");
  return getFolder(mailbox, ref);
}

const moveOrCopy =
  (op: 'move' | 'copy'): GraphHandler =>
  (call) => {
    const ctx = openMailbox(call, RULES.mailWrite);
    const m = getMessage(ctx.mailbox, call.param('messageId'));
    const folder = destination(call, ctx.mailbox);
    const result = op === 'move' ? ctx.mailbox.moveMessage(m, folder.id) : ctx.mailbox.copyMessage(m, folder.id);
    return messageEntity(call, ctx, result.id, 201);
  };

export const MESSAGE_ACTION_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/sendMail', methods: { POST: sendMail } },
  { pattern: '{user}/messages/:messageId/send', methods: { POST: sendDraft } },
  { pattern: '{user}/messages/:messageId/reply', methods: { POST: respond('reply') } },
  { pattern: '{user}/messages/:messageId/replyAll', methods: { POST: respond('replyAll') } },
  { pattern: '{user}/messages/:messageId/forward', methods: { POST: respond('forward') } },
  { pattern: '{user}/messages/:messageId/createReply', methods: { POST: createResponse('reply') } },
  { pattern: '{user}/messages/:messageId/createReplyAll', methods: { POST: createResponse('replyAll') } },
  { pattern: '{user}/messages/:messageId/createForward', methods: { POST: createResponse('forward') } },
  { pattern: '{user}/messages/:messageId/move', methods: { POST: moveOrCopy('move') } },
  { pattern: '{user}/messages/:messageId/copy', methods: { POST: moveOrCopy('copy') } },
];
