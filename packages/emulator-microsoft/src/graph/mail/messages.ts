/**
 * Messages: list (all folders or one), get, create draft, update, delete, and the MIME content.
 * Listing is newest first unless $orderby says otherwise; pages default to 10 and $top goes up to
 * 1000 (reference doc, "Messages"). DELETE moves the message out of sight into the Recoverable
 * Items "Deletions" folder (a second DELETE there purges it); moving to Deleted Items is a move.
 */
import { composeMessage, mergeMessageFields } from '../../data/mail/compose.ts';
import { readMessageFields, WRITABLE_MESSAGE_PROPERTIES } from '../../data/mail/message-input.ts';
import { renderMime } from '../../data/mail/mime.ts';
import type { Json } from '../../input.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { collectionResponse, entityResponse, type Entity } from '../odata/collection.ts';
import { OutlookErrors } from '../outlook-errors.ts';
import type { Route } from '../router/match.ts';
import { htmlToText } from './body.ts';
import { getFolder, getMessage, mailContext, messageView, mimeMessage, openMailbox, type MailContext } from './mailbox-access.ts';
import { MESSAGE_SCHEMA } from './schema.ts';
import { messageJson } from './serialize.ts';

const ALWAYS = ['@odata.etag', 'id'] as const;

/** Known message properties a body may carry but a client cannot set (ignored, as Graph does). */
const READ_ONLY = new Set(Object.keys(MESSAGE_SCHEMA.props).filter((p) => !(WRITABLE_MESSAGE_PROPERTIES as readonly string[]).includes(p)));

export function checkMessageBody(o: Json): void {
  for (const key of Object.keys(o)) {
    if (key.startsWith('@odata')) continue;
    if (!(WRITABLE_MESSAGE_PROPERTIES as readonly string[]).includes(key) && !READ_ONLY.has(key)) throw OutlookErrors.unknownBodyProperty(key, 'Message');
  }
}

function searchMessage(e: Entity, text: string): boolean {
  const needle = text.toLowerCase();
  const body = e.body as { content?: string } | undefined;
  const from = (e.from as { emailAddress?: { name?: string; address?: string } } | null)?.emailAddress;
  return [e.subject, body?.content ? htmlToText(body.content) : e.bodyPreview, from?.name, from?.address].some((v) => typeof v === 'string' && v.toLowerCase().includes(needle));
}

export function messageEntity(call: GraphCall, ctx: MailContext, id: string, status = 200): GraphResult {
  const m = getMessage(ctx.mailbox, id);
  return entityResponse(call, messageJson(call, m, messageView(call, ctx)), {
    schema: MESSAGE_SCHEMA,
    context: mailContext(call, ctx, 'messages/$entity'),
    alwaysSelected: ALWAYS,
    status,
  });
}

function listMessages(call: GraphCall, folderRef?: string): GraphResult {
  const ctx = openMailbox(call, RULES.mailRead);
  const folder = folderRef === undefined ? undefined : getFolder(ctx.mailbox, folderRef);
  const view = messageView(call, ctx);
  // The search needs bodies even when the client will not see them.
  const searchView = call.option('$search') !== undefined ? { ...view, basic: false } : view;
  const items = ctx.mailbox
    .messagesIn(folder?.id)
    .sort((a, b) => (b.receivedAt ?? b.createdAt) - (a.receivedAt ?? a.createdAt))
    .map((m) => messageJson(call, m, searchView));
  const result = collectionResponse(call, items, {
    schema: MESSAGE_SCHEMA,
    context: mailContext(call, ctx, folderRef === undefined ? 'messages' : `mailFolders('${folderRef}')/messages`),
    defaultPageSize: 10,
    maxTop: 1000,
    paging: 'skip',
    inefficientFilterRule: true,
    search: searchMessage,
    alwaysSelected: ALWAYS,
  });
  if (searchView !== view) {
    const body = result.body as { value: Entity[] };
    for (const e of body.value) {
      delete e.body;
      delete e.bodyPreview;
    }
  }
  return result;
}

function createDraft(call: GraphCall, folderRef?: string): GraphResult {
  const ctx = openMailbox(call, RULES.mailWrite);
  const folder = getFolder(ctx.mailbox, folderRef ?? 'drafts');
  let fields = mimeMessage(call);
  if (!fields) {
    const o = call.json();
    checkMessageBody(o);
    fields = readMessageFields(o, 'message');
  }
  const draft = ctx.mailbox.insertMessage(composeMessage(ctx.mailbox, fields, { folderId: folder.id, isDraft: true }));
  return messageEntity(call, ctx, draft.id, 201);
}

/** Always updatable; the rest only while the message is a draft (reference doc, "Mark read / update"). */
const UPDATABLE = new Set(['categories', 'flag', 'importance', 'inferenceClassification', 'isRead', 'isDeliveryReceiptRequested', 'isReadReceiptRequested', 'toRecipients', 'ccRecipients', 'bccRecipients']);
const DRAFT_ONLY = new Set(['subject', 'body', 'replyTo', 'from', 'sender', 'internetMessageHeaders']);

function updateMessage(call: GraphCall): GraphResult {
  const ctx = openMailbox(call, RULES.mailWrite);
  const m = getMessage(ctx.mailbox, call.param('messageId'));
  const o = call.json();
  checkMessageBody(o);
  const patch: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (UPDATABLE.has(k)) patch[k] = v;
    else if (DRAFT_ONLY.has(k)) {
      if (!m.isDraft) throw OutlookErrors.updateSentMessage();
      patch[k] = v;
    }
  }
  const fields = readMessageFields(patch, 'message');
  ctx.mailbox.updateMessage(m, (msg) => mergeMessageFields(msg, fields));
  return messageEntity(call, ctx, m.id);
}

function deleteMessage(call: GraphCall): GraphResult {
  const ctx = openMailbox(call, RULES.mailWrite);
  const m = getMessage(ctx.mailbox, call.param('messageId'));
  const deletions = ctx.mailbox.folder('recoverableitemsdeletions')!;
  if (m.folderId === deletions.id) ctx.mailbox.removeMessage(m);
  else ctx.mailbox.moveMessage(m, deletions.id);
  return { status: 204 };
}

function mimeContent(call: GraphCall): GraphResult {
  const ctx = openMailbox(call, RULES.mailReadContent);
  const m = getMessage(ctx.mailbox, call.param('messageId'));
  return { status: 200, body: renderMime(m), type: 'text/plain' };
}

const get: GraphHandler = (call) => messageEntity(call, openMailbox(call, RULES.mailRead), call.param('messageId'));

export const MESSAGE_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/messages', methods: { GET: (c) => listMessages(c), POST: (c) => createDraft(c) } },
  { pattern: '{user}/mailFolders/:folderId/messages', methods: { GET: (c) => listMessages(c, c.param('folderId')), POST: (c) => createDraft(c, c.param('folderId')) } },
  { pattern: '{user}/messages/:messageId/$value', methods: { GET: mimeContent } },
  { pattern: '{user}/messages/:messageId', methods: { GET: get, PATCH: updateMessage, DELETE: deleteMessage } },
];
