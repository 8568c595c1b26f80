import { isJsonType, isTextType, mediaType } from '../../outbound/headers.ts';
import type { VendorResponse } from '../../outbound/vendor-call.ts';

export type BodyEncoding = 'json' | 'text' | 'base64' | 'none';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Media types that are binary even when their bytes happen to decode as text. */
function isBinaryType(type: string): boolean {
  return type === 'application/octet-stream' || /^(image|audio|video|font)\//.test(type) || ['application/pdf', 'application/zip', 'application/gzip'].includes(type);
}

function decodeText(body: Buffer, contentType: string | undefined): string | undefined {
  const charset = /;\s*charset="?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    try {
      return new TextDecoder(charset).decode(body);
    } catch {
      return undefined; // a charset TextDecoder does not know: the bytes go back as base64
    }
  }
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}

/**
 * The vendor's body in the JSON envelope: JSON stays JSON, text stays text, anything else
 * (or text that is not valid in its charset) is base64, and `bodyEncoding` says which.
 */
export function envelopeBody(response: Pick<VendorResponse, 'body' | 'json' | 'headers'>): { body: unknown; bodyEncoding: BodyEncoding } {
  if (response.body.length === 0) return { body: null, bodyEncoding: 'none' };
  if (response.json !== undefined) return { body: response.json, bodyEncoding: 'json' };
  const contentType = response.headers['content-type'];
  const type = mediaType(contentType);
  if (!isBinaryType(type) && (isJsonType(contentType) || isTextType(contentType) || type === '')) {
    const text = decodeText(response.body, contentType);
    if (text !== undefined) return { body: text, bodyEncoding: 'text' };
  }
  return { body: response.body.toString('base64'), bodyEncoding: 'base64' };
}
