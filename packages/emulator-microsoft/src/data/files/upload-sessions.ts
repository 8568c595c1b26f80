/**
 * Resumable upload sessions (createUploadSession). Fragments must arrive in order, each but the
 * last a multiple of 320 KiB and all under 60 MiB; the total size named in Content-Range must
 * not change. A fragment that overlaps bytes already received is 416; one that skips ahead is
 * refused the same way, since the service accepts fragments only sequentially.
 */
import { randomToken } from '../../ids.ts';
import type { ConflictBehavior } from './drive.ts';
import type { Identity } from './model.ts';

export const FRAGMENT_MULTIPLE = 327_680;
export const MAX_FRAGMENT_BYTES = 60 * 1024 * 1024;
/** How long a session stays usable; the service keeps them for days. */
export const SESSION_LIFETIME_MS = 24 * 3600_000;

export interface UploadSession {
  id: string;
  tenantId: string;
  driveId: string;
  parentId: string;
  name: string;
  conflict: ConflictBehavior;
  deferCommit: boolean;
  expiresAt: number;
  by: Identity;
  /** Declared in the first fragment's Content-Range (or `item.fileSize`). */
  total?: number;
  chunks: Buffer[];
  received: number;
  /** deferCommit: the whole file, kept until the commit POST. */
  completed?: Buffer;
}

export type FragmentResult =
  | { kind: 'partial'; nextExpectedRanges: string[] }
  | { kind: 'complete'; bytes: Buffer }
  | { kind: 'rangeNotSatisfiable'; message: string }
  | { kind: 'invalid'; message: string };

export class UploadSessions {
  private readonly sessions = new Map<string, UploadSession>();

  create(s: Omit<UploadSession, 'id' | 'chunks' | 'received'>): UploadSession {
    const session: UploadSession = { ...s, id: randomToken(24), chunks: [], received: 0 };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session, or undefined once it expired (expired ones are forgotten). */
  get(id: string, now: number): UploadSession | undefined {
    const s = this.sessions.get(id);
    if (s && s.expiresAt <= now) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  remove(id: string): boolean {
    return this.sessions.delete(id);
  }

  clear(): void {
    this.sessions.clear();
  }
}

export function nextExpectedRanges(s: UploadSession): string[] {
  return [`${s.received}-${s.total !== undefined ? s.total - 1 : ''}`];
}

/** Applies one `PUT uploadUrl` fragment. `range` is the parsed Content-Range. */
export function acceptFragment(s: UploadSession, range: { start: number; end: number; total: number }, bytes: Buffer): FragmentResult {
  const length = range.end - range.start + 1;
  if (bytes.length !== length) return { kind: 'invalid', message: `The Content-Range covers ${length} bytes but the request body has ${bytes.length}.` };
  if (length > MAX_FRAGMENT_BYTES) return { kind: 'invalid', message: 'A fragment must be smaller than 60 MiB.' };
  if (s.total !== undefined && range.total !== s.total) return { kind: 'invalid', message: `The total size ${range.total} differs from the ${s.total} declared earlier.` };
  if (range.start !== s.received) {
    return {
      kind: 'rangeNotSatisfiable',
      message: range.start < s.received ? 'The uploaded fragment overlaps with data that has already been received.' : `Fragments must be uploaded in order; the next expected byte is ${s.received}.`,
    };
  }
  const last = range.end === range.total - 1;
  if (!last && length % FRAGMENT_MULTIPLE !== 0) {
    return { kind: 'invalid', message: `Fragments other than the last must be a multiple of 320 KiB (${FRAGMENT_MULTIPLE} bytes); this one has ${length}.` };
  }
  s.total = range.total;
  s.chunks.push(bytes);
  s.received += length;
  if (!last) return { kind: 'partial', nextExpectedRanges: nextExpectedRanges(s) };
  return { kind: 'complete', bytes: Buffer.concat(s.chunks) };
}

/** `bytes 0-25/128` → numbers; undefined when malformed or inconsistent. */
export function parseContentRange(header: string | undefined): { start: number; end: number; total: number } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec((header ?? '').trim());
  if (!m) return undefined;
  const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (end < start || end >= total) return undefined;
  return { start, end, total };
}
