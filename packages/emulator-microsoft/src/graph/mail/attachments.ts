/**
 * Message attachments: list, get, add a fileAttachment (201), delete, and the raw bytes at
 * `/attachments/{id}/$value`. Only file attachments exist in the emulator.
 */
import { readAttachmentInput } from '../../data/mail/message-input.ts';
import { isOutlookId } from '../../data/ids.ts';
import type { StoredAttachment, StoredMessage } from '../../data/mail/model.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { collectionResponse, entityResponse } from '../odata/collection.ts';
import { OutlookErrors } from '../outlook-errors.ts';
import type { Route } from '../router/match.ts';
import { getMessage, mailContext, openMailbox, type MailContext } from './mailbox-access.ts';
import { ATTACHMENT_SCHEMA } from './schema.ts';
import { attachmentJson } from './serialize.ts';

function findAttachment(m: StoredMessage, id: string): StoredAttachment {
  const a = m.attachments.find((x) => x.id === id);
  if (a) return a;
  throw isOutlookId(id) ? OutlookErrors.itemNotFound() : OutlookErrors.idMalformed();
}

const context = (call: GraphCall, ctx: MailContext, m: StoredMessage) => mailContext(call, ctx, `messages('${m.id}')/attachments`);

const list: GraphHandler = (call) => {
  const ctx = openMailbox(call, RULES.mailReadContent);
  const m = getMessage(ctx.mailbox, call.param('messageId'));
  return collectionResponse(call, m.attachments.map((a) => attachmentJson(a)), {
    schema: ATTACHMENT_SCHEMA,
    context: context(call, ctx, m),
    defaultPageSize: 100,
    maxTop: 1000,
    paging: 'skip',
    alwaysSelected: ['@odata.type', 'id'],
  });
};

function one(call: GraphCall, ctx: MailContext, m: StoredMessage, a: StoredAttachment, status = 200): GraphResult {
  return entityResponse(call, attachmentJson(a), { schema: ATTACHMENT_SCHEMA, context: `${context(call, ctx, m)}/$entity`, alwaysSelected: ['@odata.type', 'id'], status });
}

const get: GraphHandler = (call) => {
  const ctx = openMailbox(call, RULES.mailReadContent);
  const m = getMessage(ctx.mailbox, call.param('messageId'));
  return one(call, ctx, m, findAttachment(m, call.param('attachmentId')));
};

const add: GraphHandler = (call) => {
  const ctx = openMailbox(call, RULES.mailWrite);
  const m = getMessage(ctx.mailbox, call.param('messageId'));
  const input = readAttachmentInput(call.json(), 'attachment');
  return one(call, ctx, m, ctx.mailbox.addAttachment(m, input), 201);
};

const remove: GraphHandler = (call) => {
  const ctx = openMailbox(call, RULES.mailWrite);
  const m = getMessage(ctx.mailbox, call.param('messageId'));
  const a = findAttachment(m, call.param('attachmentId'));
  ctx.mailbox.removeAttachment(m, a.id);
  return { status: 204 };
};

const raw: GraphHandler = (call) => {
  const ctx = openMailbox(call, RULES.mailReadContent);
  const m = getMessage(ctx.mailbox, call.param('messageId'));
  const a = findAttachment(m, call.param('attachmentId'));
  return { status: 200, body: a.bytes, type: a.contentType };
};

export const ATTACHMENT_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/messages/:messageId/attachments', methods: { GET: list, POST: add } },
  { pattern: '{user}/messages/:messageId/attachments/:attachmentId/$value', methods: { GET: raw } },
  { pattern: '{user}/messages/:messageId/attachments/:attachmentId', methods: { GET: get, DELETE: remove } },
];
