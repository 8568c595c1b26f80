/**
 * Message bodies in the format the client prefers. Graph returns HTML unless
 * `Prefer: outlook.body-content-type="text"` (reference doc, "Messages"), converting either way,
 * and bodyPreview is the first 255 characters of the text, whitespace collapsed.
 */
import type { ItemBody } from '../../data/mail/model.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\r\n')
    .replace(/<\/(p|div|tr|li|h\d)>/gi, '\r\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[\da-f]+|\w+);/gi, (m, e: string) => {
      if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
      if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/(\r\n){3,}/g, '\r\n\r\n')
    .trim();
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Exchange wraps converted text in a minimal document. */
export function textToHtml(text: string): string {
  const lines = escapeHtml(text).split(/\r?\n/).join('<br>\r\n');
  return `<html><head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n<div>${lines}</div>\r\n</body>\r\n</html>\r\n`;
}

export function bodyAs(body: ItemBody, wanted: 'text' | 'html'): ItemBody {
  if (body.contentType === wanted) return { ...body };
  return wanted === 'text' ? { contentType: 'text', content: htmlToText(body.content) } : { contentType: 'html', content: textToHtml(body.content) };
}

export function bodyPreview(body: ItemBody): string {
  const text = body.contentType === 'html' ? htmlToText(body.content) : body.content;
  return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}
