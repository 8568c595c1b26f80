/**
 * Message JSON (Graph's message resource) → message fields. Graph requests and the admin API both
 * come through here; the admin API may also use shorthands (a recipient as `"Name <a@b>"`, a
 * body as a plain string, attachment text in `content`). Validation failures are InputErrors;
 * Graph routes turn them into 400s.
 */
import { InputError, optionalBoolean, optionalString, stringArray, type Json } from '../../input.ts';
import type { FollowupFlag, Importance, ItemBody, Recipient, StoredAttachment, StoredMessage } from './model.ts';

export interface NewAttachment {
  name: string;
  contentType: string;
  bytes: Buffer;
  isInline: boolean;
  contentId: string | null;
}

export type MessageFields = Partial<
  Pick<
    StoredMessage,
    | 'subject'
    | 'body'
    | 'from'
    | 'sender'
    | 'toRecipients'
    | 'ccRecipients'
    | 'bccRecipients'
    | 'replyTo'
    | 'categories'
    | 'importance'
    | 'isRead'
    | 'flag'
    | 'isReadReceiptRequested'
    | 'isDeliveryReceiptRequested'
    | 'inferenceClassification'
    | 'internetMessageHeaders'
  >
> & { attachments?: NewAttachment[] };

export interface ReadOptions {
  /** Accept the admin API's shorthands. */
  shorthand?: boolean;
}

/** Properties a client may send when creating or updating a message (others are read-only or unknown). */
export const WRITABLE_MESSAGE_PROPERTIES = [
  'subject',
  'body',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'categories',
  'importance',
  'isRead',
  'flag',
  'isReadReceiptRequested',
  'isDeliveryReceiptRequested',
  'inferenceClassification',
  'internetMessageHeaders',
  'attachments',
] as const;

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

function readAddress(value: unknown, path: string, o: ReadOptions): Recipient {
  if (typeof value === 'string' && o.shorthand) {
    const m = /^\s*(?:"?([^"<]*?)"?\s*<([^>]+)>|([^<>\s]+))\s*$/.exec(value);
    const address = m?.[2] ?? m?.[3];
    if (!address || !ADDRESS.test(address)) throw new InputError(`${path} must be an email address or "Name <address>"`);
    return { emailAddress: { name: m?.[1]?.trim() || address, address } };
  }
  if (typeof value !== 'object' || value === null) throw new InputError(`${path} must be a recipient object {emailAddress:{address,name}}`);
  const email = (value as Json).emailAddress;
  if (typeof email !== 'object' || email === null) throw new InputError(`${path}.emailAddress is required`);
  const address = (email as Json).address;
  const name = (email as Json).name;
  if (typeof address !== 'string' || !ADDRESS.test(address)) throw new InputError(`${path}.emailAddress.address must be an email address`);
  if (name !== undefined && name !== null && typeof name !== 'string') throw new InputError(`${path}.emailAddress.name must be a string`);
  return { emailAddress: { name: typeof name === 'string' && name !== '' ? name : address, address } };
}

export function readRecipients(o: Json, key: string, path: string, opts: ReadOptions = {}): Recipient[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return v === null ? [] : undefined;
  const list = typeof v === 'string' && opts.shorthand ? [v] : v;
  if (!Array.isArray(list)) throw new InputError(`${path}.${key} must be an array of recipients`);
  return list.map((r, i) => readAddress(r, `${path}.${key}[${i}]`, opts));
}

function readSingleRecipient(o: Json, key: string, path: string, opts: ReadOptions): Recipient | null | undefined {
  const v = o[key];
  if (v === undefined || v === null) return v;
  return readAddress(v, `${path}.${key}`, opts);
}

export function readBody(o: Json, key: string, path: string, opts: ReadOptions = {}): ItemBody | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && opts.shorthand) return { contentType: 'text', content: v };
  if (typeof v !== 'object' || Array.isArray(v)) throw new InputError(`${path}.${key} must be {contentType, content}`);
  const b = v as Json;
  const type = String(b.contentType ?? 'text').toLowerCase();
  if (type !== 'text' && type !== 'html') throw new InputError(`${path}.${key}.contentType must be Text or HTML`);
  const content = b.content ?? '';
  if (typeof content !== 'string') throw new InputError(`${path}.${key}.content must be a string`);
  return { contentType: type, content };
}

const IMPORTANCE: readonly Importance[] = ['low', 'normal', 'high'];

function readImportance(o: Json, path: string): Importance | undefined {
  const v = o.importance;
  if (v === undefined) return undefined;
  const lower = typeof v === 'string' ? v.toLowerCase() : '';
  if (!(IMPORTANCE as readonly string[]).includes(lower)) throw new InputError(`${path}.importance must be low, normal or high`);
  return lower as Importance;
}

function readFlag(o: Json, path: string): FollowupFlag | undefined {
  const v = o.flag;
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null) throw new InputError(`${path}.flag must be an object`);
  const f = v as Json;
  const status = f.flagStatus ?? 'notFlagged';
  if (status !== 'notFlagged' && status !== 'flagged' && status !== 'complete') {
    throw new InputError(`${path}.flag.flagStatus must be notFlagged, flagged or complete`);
  }
  const flag: FollowupFlag = { flagStatus: status };
  for (const key of ['startDateTime', 'dueDateTime', 'completedDateTime'] as const) {
    const d = f[key];
    if (d && typeof d === 'object') flag[key] = { dateTime: String((d as Json).dateTime ?? ''), timeZone: String((d as Json).timeZone ?? 'UTC') };
  }
  return flag;
}

function readAttachment(value: unknown, path: string, opts: ReadOptions): NewAttachment {
  if (typeof value !== 'object' || value === null) throw new InputError(`${path} must be an attachment object`);
  const a = value as Json;
  const type = a['@odata.type'];
  if (type !== undefined && String(type).toLowerCase().replace(/^#/, '') !== 'microsoft.graph.fileattachment') {
    throw new InputError(`${path}: only #microsoft.graph.fileAttachment is supported by the emulator`);
  }
  const name = a.name;
  if (typeof name !== 'string' || name === '') throw new InputError(`${path}.name is required`);
  let bytes: Buffer;
  if (typeof a.contentBytes === 'string') {
    if (!/^[A-Za-z0-9+/=\s]*$/.test(a.contentBytes)) throw new InputError(`${path}.contentBytes must be base64`);
    bytes = Buffer.from(a.contentBytes, 'base64');
  } else if (typeof a.content === 'string' && opts.shorthand) {
    bytes = Buffer.from(a.content, 'utf8');
  } else {
    throw new InputError(`${path}.contentBytes is required`);
  }
  return {
    name,
    contentType: optionalString(a, 'contentType', path) ?? 'application/octet-stream',
    bytes,
    isInline: optionalBoolean(a, 'isInline', path) ?? false,
    contentId: optionalString(a, 'contentId', path) ?? null,
  };
}

export function readAttachments(o: Json, path: string, opts: ReadOptions = {}): NewAttachment[] | undefined {
  const v = o.attachments;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new InputError(`${path}.attachments must be an array`);
  return v.map((a, i) => readAttachment(a, `${path}.attachments[${i}]`, opts));
}

export function readAttachmentInput(value: unknown, path: string, opts: ReadOptions = {}): NewAttachment {
  return readAttachment(value, path, opts);
}

/** Only the properties present in `o`; absent ones stay undefined so PATCH can merge. */
export function readMessageFields(o: Json, path: string, opts: ReadOptions = {}): MessageFields {
  const f: MessageFields = {};
  const subject = optionalString(o, 'subject', path);
  if (subject !== undefined) f.subject = subject;
  const body = readBody(o, 'body', path, opts);
  if (body) f.body = body;
  for (const key of ['from', 'sender'] as const) {
    const r = readSingleRecipient(o, key, path, opts);
    if (r !== undefined) f[key] = r;
  }
  for (const key of ['toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo'] as const) {
    const list = readRecipients(o, key, path, opts);
    if (list) f[key] = list;
  }
  const categories = stringArray(o, 'categories', path);
  if (categories) f.categories = categories;
  const importance = readImportance(o, path);
  if (importance) f.importance = importance;
  for (const key of ['isRead', 'isReadReceiptRequested', 'isDeliveryReceiptRequested'] as const) {
    const b = optionalBoolean(o, key, path);
    if (b !== undefined) f[key] = b;
  }
  const flag = readFlag(o, path);
  if (flag) f.flag = flag;
  const inference = o.inferenceClassification;
  if (inference !== undefined) {
    if (inference !== 'focused' && inference !== 'other') throw new InputError(`${path}.inferenceClassification must be focused or other`);
    f.inferenceClassification = inference;
  }
  if (o.internetMessageHeaders !== undefined) {
    if (!Array.isArray(o.internetMessageHeaders)) throw new InputError(`${path}.internetMessageHeaders must be an array`);
    f.internetMessageHeaders = o.internetMessageHeaders.map((h, i) => {
      const name = (h as Json)?.name;
      const value = (h as Json)?.value;
      if (typeof name !== 'string' || typeof value !== 'string') throw new InputError(`${path}.internetMessageHeaders[${i}] needs name and value`);
      // Graph only accepts custom headers: "x-" or "X-".
      if (!/^x-/i.test(name)) throw new InputError(`${path}.internetMessageHeaders[${i}].name must start with 'x-'`);
      return { name, value };
    });
  }
  const attachments = readAttachments(o, path, opts);
  if (attachments) f.attachments = attachments;
  return f;
}

export function toStoredAttachment(a: NewAttachment, id: string, nowMs: number): StoredAttachment {
  return { ...a, id, lastModifiedAt: nowMs };
}
