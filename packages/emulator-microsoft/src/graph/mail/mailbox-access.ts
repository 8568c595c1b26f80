/**
 * Opening a mailbox for a request: resolve the user, check the token's permission for the
 * operation, require an Exchange mailbox; then look up folders and messages the way Exchange
 * does — a string that cannot be an id is malformed (400), a well-formed unknown id is 404.
 */
import { isOutlookId } from '../../data/ids.ts';
import type { Mailbox } from '../../data/mail/mailbox.ts';
import type { MessageFields } from '../../data/mail/message-input.ts';
import { decodeMimeBody, parseMime } from '../../data/mail/mime-parse.ts';
import type { StoredFolder, StoredMessage } from '../../data/mail/model.ts';
import type { User } from '../../model.ts';
import { allowed, requireOutlook, RULES, type PermissionRule } from '../access.ts';
import type { GraphCall } from '../call.ts';
import { OutlookErrors } from '../outlook-errors.ts';
import { mailboxNotEnabled, resolveUser, userSegment } from '../target.ts';
import { bodyPreference, type MessageView } from './serialize.ts';

export interface MailContext {
  user: User;
  self: boolean;
  mailbox: Mailbox;
}

export function openMailbox(call: GraphCall, rule: PermissionRule): MailContext {
  const { user, self } = resolveUser(call, call.match.user!, 'outlook');
  requireOutlook(call.principal, rule, self);
  if (!call.store.hasMailbox(user)) throw mailboxNotEnabled();
  return { user, self, mailbox: call.store.mailbox(user) };
}

export function getFolder(mailbox: Mailbox, ref: string): StoredFolder {
  const folder = mailbox.folder(ref);
  if (folder) return folder;
  if (!isOutlookId(ref)) throw OutlookErrors.idMalformed();
  throw OutlookErrors.itemNotFound();
}

export function getMessage(mailbox: Mailbox, id: string): StoredMessage {
  const m = mailbox.message(id);
  if (m) return m;
  if (!isOutlookId(id)) throw OutlookErrors.idMalformed();
  throw OutlookErrors.itemNotFound();
}

export function messageView(call: GraphCall, ctx: MailContext): MessageView {
  const expand = (call.option('$expand') ?? '').split(',').map((s) => s.trim().toLowerCase());
  return {
    bodyType: bodyPreference(call),
    basic: !allowed(call.principal, RULES.mailReadContent, ctx.self),
    expandAttachments: expand.includes('attachments'),
  };
}

/**
 * The MIME variant of sendMail and create message: `Content-Type: text/plain` with the base64 of
 * a whole MIME message. Undefined when the request is JSON.
 */
export function mimeMessage(call: GraphCall): MessageFields | undefined {
  if (!/^text\/plain/i.test(call.header('content-type') ?? '')) return undefined;
  const mime = decodeMimeBody(call.raw());
  if (!mime) throw OutlookErrors.invalidMime();
  return parseMime(mime);
}

/** `@odata.context` base for the user's mail resources. */
export function mailContext(call: GraphCall, ctx: MailContext, rest: string): string {
  return `${call.metadata}#${userSegment(ctx.user)}/${rest}`;
}
