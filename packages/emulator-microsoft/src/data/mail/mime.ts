/**
 * A message as RFC 5322 / MIME text, what `GET /messages/{id}/$value` returns and what a "Download
 * Email (.eml)" activity saves. Headers use RFC 2047 encoded-words for non-ASCII text; the body
 * and attachments are base64 in a multipart/mixed when there are attachments.
 */
import { createHash } from 'node:crypto';
import type { Recipient, StoredMessage } from './model.ts';

const ascii = (s: string) => /^[\x20-\x7e]*$/.test(s);

function encodeWord(s: string): string {
  return ascii(s) ? s : `=?utf-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

function address(r: Recipient): string {
  const { name, address } = r.emailAddress;
  if (!name || name === address) return address;
  return ascii(name) ? `"${name.replace(/(["\\])/g, '\\$1')}" <${address}>` : `${encodeWord(name)} <${address}>`;
}

/** RFC 5322 date: `Tue, 04 Feb 2019 19:58:11 +0000`. */
function rfc5322Date(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

function base64Lines(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/g) ?? ['']).join('\r\n');
}

function bodyPart(m: StoredMessage): string[] {
  const type = m.body.contentType === 'html' ? 'text/html' : 'text/plain';
  return [`Content-Type: ${type}; charset="utf-8"`, 'Content-Transfer-Encoding: base64', '', base64Lines(Buffer.from(m.body.content, 'utf8'))];
}

export function renderMime(m: StoredMessage): string {
  const headers: string[] = [];
  const list = (name: string, rs: Recipient[]) => rs.length > 0 && headers.push(`${name}: ${rs.map(address).join(', ')}`);
  if (m.from) headers.push(`From: ${address(m.from)}`);
  if (m.sender && m.from && m.sender.emailAddress.address !== m.from.emailAddress.address) headers.push(`Sender: ${address(m.sender)}`);
  list('To', m.toRecipients);
  list('Cc', m.ccRecipients);
  list('Reply-To', m.replyTo);
  headers.push(`Subject: ${encodeWord(m.subject)}`);
  headers.push(`Date: ${rfc5322Date(m.sentAt ?? m.createdAt)}`);
  headers.push(`Message-ID: ${m.internetMessageId}`);
  if (m.inReplyTo) headers.push(`In-Reply-To: ${m.inReplyTo}`, `References: ${m.inReplyTo}`);
  if (m.importance !== 'normal') headers.push(`Importance: ${m.importance}`);
  for (const h of m.internetMessageHeaders) headers.push(`${h.name}: ${h.value}`);
  headers.push('MIME-Version: 1.0');
  if (m.attachments.length === 0) return [...headers, ...bodyPart(m), ''].join('\r\n');
  const boundary = `_000_${createHash('sha1').update(m.id).digest('hex').slice(0, 24)}_`;
  const parts = [...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', `--${boundary}`, ...bodyPart(m), ''];
  for (const a of m.attachments) {
    parts.push(
      `--${boundary}`,
      `Content-Type: ${a.contentType}; name="${encodeWord(a.name)}"`,
      `Content-Disposition: ${a.isInline ? 'inline' : 'attachment'}; filename="${encodeWord(a.name)}"; size=${a.bytes.length}`,
      ...(a.contentId ? [`Content-ID: <${a.contentId}>`] : []),
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(a.bytes),
      '',
    );
  }
  parts.push(`--${boundary}--`, '');
  return parts.join('\r\n');
}
