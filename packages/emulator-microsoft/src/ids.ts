import { createHash, randomBytes, randomUUID } from 'node:crypto';

export function newGuid(): string {
  return randomUUID();
}

/** Opaque, unguessable token material (codes, refresh tokens, transaction ids). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A stable GUID-shaped id derived from its inputs, for ids Microsoft derives too (service principal ids). */
export function guidFromHash(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A per-application pairwise subject, as Entra issues in `sub` (43 base64url characters). */
export function pairwiseSubject(userId: string, clientId: string): string {
  return createHash('sha256').update(`${userId}:${clientId}`).digest('base64url');
}

/** The timestamp format inside AADSTS error descriptions: `2016-01-09 02:02:12Z`. */
export function aadTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** The `date` in Graph's innerError: ISO without fraction or zone, e.g. `2025-02-13T10:17:05`. */
export function graphDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID_RE.test(value);
}
