/**
 * Identifier shapes of the Microsoft 365 services, so clients that validate or log ids see what
 * they see in production:
 *   - Exchange (messages, folders, events, calendars, attachments): URL-safe base64 starting
 *     `AAMk` (work accounts) or `AQMk` (personal accounts), often ending in `=`;
 *   - OneDrive for Business items: `01` + 32 upper-case base32 characters;
 *   - drives: `b!` + URL-safe base64;
 *   - SharePoint sites: `{hostname},{site collection guid},{web guid}`.
 * Seeded data derives ids from fixed names so they can be documented; new data gets random ones.
 */
import { createHash, randomBytes } from 'node:crypto';

function bytes(seed: string[] | undefined, length: number): Buffer {
  if (!seed) return randomBytes(length);
  const out = Buffer.alloc(length);
  let filled = 0;
  for (let round = 0; filled < length; round++) {
    const digest = createHash('sha256').update([String(round), ...seed].join('\u0000')).digest();
    filled += digest.copy(out, filled);
  }
  return out;
}

/** An Exchange item or folder id; `personal` gives the `AQMk` shape of consumer mailboxes. */
export function outlookId(seed?: string[], personal = false): string {
  // A real id is a versioned binary structure; only its outer shape matters to clients.
  const body = bytes(seed, 99).toString('base64url');
  return `${personal ? 'AQMk' : 'AAMk'}A${body}=`;
}

const OUTLOOK_ID = /^A[AQ]Mk[A-Za-z0-9_-]{20,}={0,2}$/;

/** Whether a string could be an Exchange id at all: anything else is ErrorInvalidIdMalformed. */
export function isOutlookId(value: string): boolean {
  return OUTLOOK_ID.test(value);
}

/** An Exchange change key, which also forms the `@odata.etag` (`W/"<changeKey>"`). */
export function changeKey(id: string, version: number): string {
  return `CQAAABYAAA${createHash('sha256').update(`${id}:${version}`).digest('base64').slice(0, 30)}`;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A OneDrive for Business item id. */
export function driveItemId(seed?: string[]): string {
  const b = bytes(seed, 32);
  let out = '01';
  for (const byte of b) out += BASE32[byte % 32];
  return out;
}

/** A drive id: `b!` and 64 URL-safe base64 characters. */
export function driveId(seed?: string[]): string {
  return `b!${bytes(seed, 48).toString('base64url')}`;
}

/** A GUID in the usual lower-case form, stable for a seed. */
export function guid(seed?: string[]): string {
  const hex = bytes(seed, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An RFC 5322 Message-ID in Exchange Online's style: `<...@{server}.namprd00.prod.outlook.com>`. */
export function internetMessageId(seed?: string[]): string {
  const hex = bytes(seed, 24).toString('hex').toUpperCase();
  const server = `MW2PR00MB${hex.slice(32, 36)}`;
  return `<${server}${hex.slice(0, 32)}@${server}.namprd00.prod.outlook.com>`;
}
