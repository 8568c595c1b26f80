import { Problem } from '../problems/problem.ts';

/**
 * Cursor pagination over an ordered list. The cursor is opaque to callers (base64url JSON)
 * so the server may change how it pages without breaking them.
 */
export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through to the problem below
  }
  throw new Problem('VALIDATION_FAILED', 'The cursor is not one this service issued.', {
    errors: [{ path: '/query/cursor', message: 'must be a nextCursor value returned by a previous page', rule: 'cursor' }],
  });
}

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function paginate<T>(items: T[], query: { limit?: number | undefined; cursor?: string | undefined }): { items: T[]; nextCursor: string | null } {
  const limit = query.limit ?? 50;
  const offset = decodeCursor(query.cursor);
  const page = items.slice(offset, offset + limit);
  return { items: page, nextCursor: offset + limit < items.length ? encodeCursor(offset + limit) : null };
}
