/**
 * Reading a MIME message (RFC 5322 + MIME), for Graph's MIME variants of sendMail and create
 * message: the request body is the base64 of the whole .eml. Headers give the recipients and
 * subject (RFC 2047 encoded-words decoded); the body is the first text/html, else text/plain,
 * part; parts with a filename become file attachments. Enough for what mail clients produce.
 */
import type { MessageFields, NewAttachment } from './message-input.ts';
import type { Recipient } from './model.ts';

interface Part {
  headers: Map<string, string>;
  body: Buffer;
}

function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

function quotedPrintable(s: string): Buffer {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(soft.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

function parsePart(raw: Buffer): Part {
  const text = raw.toString('latin1');
  const split = /\r?\n\r?\n/.exec(text);
  const headerText = split ? text.slice(0, split.index) : text;
  const bodyStart = split ? split.index + split[0].length : text.length;
  const headers = new Map<string, string>();
  for (const line of headerText.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
  }
  return { headers, body: raw.subarray(Buffer.byteLength(text.slice(0, bodyStart), 'latin1')) };
}

function param(header: string | undefined, name: string): string | undefined {
  const m = new RegExp(`${name}\\*?=\\s*("([^"]*)"|[^;\\s]+)`, 'i').exec(header ?? '');
  return m ? decodeWords(m[2] ?? m[1]!) : undefined;
}

function decodedBody(p: Part): Buffer {
  const encoding = (p.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(p.body.toString('latin1').replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return quotedPrintable(p.body.toString('latin1'));
  return p.body;
}

function leaves(p: Part): Part[] {
  const type = p.headers.get('content-type') ?? 'text/plain';
  const boundary = param(type, 'boundary');
  if (!/^multipart\//i.test(type) || !boundary) return [p];
  const text = p.body.toString('latin1');
  const chunks = text.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
  return chunks
    .slice(1)
    .filter((c) => c.trim() !== '')
    .flatMap((c) => leaves(parsePart(Buffer.from(c, 'latin1'))));
}

function addresses(value: string | undefined): Recipient[] | undefined {
  if (!value) return undefined;
  const out: Recipient[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (const ch of `${value},`) {
    if (ch === '"') quoted = !quoted;
    if (ch === '<') angle = true;
    if (ch === '>') angle = false;
    if (ch === ',' && !quoted && !angle) {
      const m = /^\s*(?:"?([^"<]*?)"?\s*<([^>]+)>|([^\s<>]+@[^\s<>]+))\s*$/.exec(decodeWords(current));
      const address = m?.[2] ?? m?.[3];
      if (address) out.push({ emailAddress: { name: m?.[1]?.trim() || address, address } });
      current = '';
    } else current += ch;
  }
  return out;
}

export function parseMime(raw: Buffer): MessageFields {
  const top = parsePart(raw);
  const h = top.headers;
  const fields: MessageFields = {};
  const subject = h.get('subject');
  if (subject !== undefined) fields.subject = decodeWords(subject);
  const from = addresses(h.get('from'))?.[0];
  if (from) fields.from = from;
  for (const [header, key] of [
    ['to', 'toRecipients'],
    ['cc', 'ccRecipients'],
    ['bcc', 'bccRecipients'],
    ['reply-to', 'replyTo'],
  ] as const) {
    const list = addresses(h.get(header));
    if (list) fields[key] = list;
  }
  const importance = (h.get('importance') ?? '').toLowerCase();
  if (importance === 'high' || importance === 'low' || importance === 'normal') fields.importance = importance;
  const attachments: NewAttachment[] = [];
  let html: string | undefined;
  let plain: string | undefined;
  for (const part of leaves(top)) {
    const type = (part.headers.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
    const disposition = part.headers.get('content-disposition') ?? '';
    const filename = param(disposition, 'filename') ?? param(part.headers.get('content-type'), 'name');
    const bytes = decodedBody(part);
    if (filename || /^attachment/i.test(disposition)) {
      const id = part.headers.get('content-id')?.replace(/^<|>$/g, '') ?? null;
      attachments.push({ name: filename ?? 'attachment', contentType: type, bytes, isInline: /^inline/i.test(disposition), contentId: id });
    } else if (type === 'text/html' && html === undefined) html = bytes.toString('utf8');
    else if (type === 'text/plain' && plain === undefined) plain = bytes.toString('utf8');
  }
  if (html !== undefined) fields.body = { contentType: 'html', content: html };
  else if (plain !== undefined) fields.body = { contentType: 'text', content: plain };
  if (attachments.length > 0) fields.attachments = attachments;
  return fields;
}

/** The request body of a MIME send: base64 text, or undefined when it is not base64. */
export function decodeMimeBody(body: Buffer): Buffer | undefined {
  const text = body.toString('ascii').replace(/\s+/g, '');
  if (text === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64');
}
