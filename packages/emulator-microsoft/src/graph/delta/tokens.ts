/**
 * Delta state tokens. Graph's tokens are opaque to clients; the emulator's are base64url JSON
 * holding everything the next call needs, so nothing is stored server-side:
 *   - what is tracked (messages of a folder, or a calendar view) and whose;
 *   - the query options of the round's first request (Graph encodes them into the token, and
 *     the client must not repeat them);
 *   - where the change log stood: a `$deltatoken` starts a new round after `since`; a
 *     `$skiptoken` continues a round whose window (`from`, `to`] is pinned, so changes made
 *     while a client pages go to the next round instead of shifting pages under it.
 * A token names the sync-state generation it was issued in. A token of another generation, one
 * whose window has left the change log, or one that does not decode, is Exchange's 410
 * `syncStateNotFound`.
 */
import type { ChangeLog } from '../../data/change-log.ts';
import type { SyncState } from '../../data/sync-state.ts';
import { GraphError } from '../errors.ts';

export type TrackedKind = 'messages' | 'calendarView';

/** Where a first round has got to: the sort key of the last item served. */
export interface FirstRoundCursor {
  /** Sort instant (receivedDateTime or start) in ms. */
  at: number;
  id: string;
}

interface Common {
  /** Sync-state generation. */
  g: number;
  k: TrackedKind;
  /** Owner (user id). */
  u: string;
  /** Folder or calendar id; null = every calendar. */
  c: string | null;
  /** Options fixed at the round's first request. */
  o: Record<string, string>;
  /** Page size chosen at the first request (Prefer or $top), used when a later call sends none. */
  n: number;
}

/** Continues a round: the first (`from` null) or an incremental one over (`from`, `to`]. */
export interface SkipToken extends Common {
  t: 'skip';
  from: number | null;
  to: number;
  /** First round: the last item served (null before the first page). */
  cursor: FirstRoundCursor | null;
  /** Incremental round: index into the window's changes, and into the items the current change expands to. */
  offset: number;
  sub: number;
}

/** Starts the next round with the changes after `since`. */
export interface DeltaToken extends Common {
  t: 'delta';
  since: number;
}

export type SyncToken = SkipToken | DeltaToken;

export function encodeToken(token: SyncToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function syncStateNotFound(generation: number | string, highest: number): GraphError {
  return new GraphError(410, 'syncStateNotFound', `The sync state generation is not found; generation=${generation};[highest=${highest}].`);
}

function parse(text: string): SyncToken | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null ? shaped(v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function shaped(v: Record<string, unknown>): SyncToken | undefined {
  if (typeof v.g !== 'number' || typeof v.u !== 'string' || typeof v.n !== 'number') return undefined;
  if (v.k !== 'messages' && v.k !== 'calendarView') return undefined;
  if (typeof v.o !== 'object' || v.o === null || (v.c !== null && typeof v.c !== 'string')) return undefined;
  if (v.t === 'delta' && typeof v.since === 'number') return v as unknown as DeltaToken;
  const skip = v.t === 'skip' && typeof v.to === 'number' && typeof v.offset === 'number' && typeof v.sub === 'number';
  const cursor = v.cursor as { at?: unknown; id?: unknown } | null;
  const cursorOk = cursor === null || (typeof cursor === 'object' && typeof cursor.at === 'number' && typeof cursor.id === 'string');
  if (skip && cursorOk && (v.from === null || typeof v.from === 'number')) return v as unknown as SkipToken;
  return undefined;
}

/**
 * Decodes the token of a call and checks it still applies: same generation, same tracked
 * collection, and a window the change log still holds.
 */
export function readToken(text: string, expect: { kind: TrackedKind; userId: string; container: string | null }, sync: SyncState, log: ChangeLog): SyncToken {
  const token = parse(text);
  const gone = () => syncStateNotFound(token?.g ?? 0, sync.generation);
  if (!token || token.g !== sync.generation) throw gone();
  if (token.k !== expect.kind || token.u !== expect.userId || token.c !== expect.container) throw gone();
  const start = token.t === 'delta' ? token.since : token.from;
  // Every change after `start` must still be in the log to replay the round faithfully.
  if (start !== null && start < log.oldest - 1) throw gone();
  return token;
}
