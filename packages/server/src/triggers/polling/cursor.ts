import { createHash } from 'node:crypto';
import { readPointer } from '@switchboard/catalog';

/**
 * The durable position of a polling trigger, stored with the trigger and advanced in the same
 * transaction as the events it produced. It answers "has this change been seen?" exactly:
 *
 * - watermark: the newest record time seen. Polls ask for records at or after
 *   watermark - overlap, so late-indexed records are not missed, and
 * - seen: id -> version of the records in that overlap window (the boundary), so the records
 *   the overlap brings back again are recognised. A version is the record's modification time,
 *   else its etag, else a hash of its content: an unchanged record never fires twice, a
 *   changed one fires again.
 * - Delta sources instead keep the vendor's delta link (or the next page of a round).
 */
export interface PollCursor {
  watermark?: string | null;
  seen: Record<string, SeenEntry>;
  /** Records older than this never fire: the trigger started "now" at this time. */
  notBefore?: string | null;
  /** Set until the first poll ran: fire the newest n records found then. */
  backfill?: number;
  deltaLink?: string;
  /** The next page of an unfinished delta round. */
  nextLink?: string;
  /** True while the first delta round (the initial sync, not changes) is running. */
  initialRound?: boolean;
}

/** [version, record time in ms or null]. */
export type SeenEntry = [string, number | null];

export type StartFrom = 'now' | { backfill: number };

export type ChangeKind = 'created' | 'updated' | 'deleted';

export interface Change {
  kind: ChangeKind;
  id: string;
  version: string;
  /** When it happened, as well as the record says (its modification or creation time), else now. */
  at: Date;
  record: unknown;
}

export interface RecordShape {
  idPath: string;
  timestampPath?: string | undefined;
  createdPath?: string | undefined;
  removedPath?: string | undefined;
  /** What a record never seen before is when the record cannot say: the trigger's own event. */
  defaultKind: 'created' | 'updated';
}

/** Records created and modified within this span count as created (UiPath's createdCheckTolerance). */
const CREATED_TOLERANCE_MS = 10_000;

export function initialCursor(startFrom: StartFrom, startedAt: Date): PollCursor {
  if (startFrom === 'now') {
    // Whole seconds: vendors that stamp records to the second (Graph) would otherwise date a
    // record made in the trigger's first second before the trigger.
    const start = new Date(Math.floor(startedAt.getTime() / 1000) * 1000).toISOString();
    return { watermark: start, notBefore: start, seen: {}, initialRound: true };
  }
  return { watermark: null, notBefore: null, seen: {}, backfill: startFrom.backfill, initialRound: true };
}

/** A time in a record: ISO 8601 text, or a number of seconds or milliseconds since 1970. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value > 1e11 ? value : value * 1000;
  if (typeof value === 'string' && value.trim()) {
    if (/^\d+(\.\d+)?$/.test(value.trim())) return parseTime(Number(value));
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

interface Parsed {
  id: string;
  version: string;
  ts: number | undefined;
  created: number | undefined;
  removed: boolean;
  record: unknown;
}

function parseRecord(record: unknown, shape: RecordShape): Parsed | undefined {
  const rawId = readPointer(record, shape.idPath);
  if (rawId === undefined || rawId === null || typeof rawId === 'object') return undefined;
  const ts = shape.timestampPath ? parseTime(readPointer(record, shape.timestampPath)) : undefined;
  const created = shape.createdPath ? parseTime(readPointer(record, shape.createdPath)) : undefined;
  const removed = shape.removedPath ? readPointer(record, shape.removedPath) !== undefined : false;
  return { id: String(rawId), version: versionOf(record, ts), ts, created, removed, record };
}

function versionOf(record: unknown, ts: number | undefined): string {
  const etag = etagOf(record);
  // Vendors that stamp whole seconds (Graph) change the etag even when two edits share a second.
  if (ts !== undefined) return etag ? `${new Date(ts).toISOString()}|${etag}` : new Date(ts).toISOString();
  if (etag) return `etag:${etag}`;
  return `sha1:${createHash('sha1').update(canonicalJson(record)).digest('base64url')}`;
}

function etagOf(record: unknown): string | undefined {
  if (!record || typeof record !== 'object') return undefined;
  const r = record as Record<string, unknown>;
  for (const key of ['@odata.etag', 'etag', '_etag', 'eTag']) if (typeof r[key] === 'string' && r[key]) return r[key] as string;
  return undefined;
}

/** JSON with object keys sorted, so the same content always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What a change is. A record seen before (at the boundary) changed. One never seen, with a
 * creation time: in a watermark poll it is new when it was created after the previous poll's
 * reach (`createdSince`), which is right however long it waited to be polled; without that
 * reach (a backfill, a delta round) when it was created and last modified at about the same time.
 */
function classify(p: Parsed, known: boolean, shape: RecordShape, createdSince?: number): ChangeKind {
  if (p.removed) return 'deleted';
  if (known) return 'updated';
  if (p.created !== undefined) {
    if (createdSince !== undefined && Number.isFinite(createdSince)) return p.created >= createdSince ? 'created' : 'updated';
    return p.ts === undefined || Math.abs(p.ts - p.created) <= CREATED_TOLERANCE_MS ? 'created' : 'updated';
  }
  return shape.defaultKind;
}

/** A delta round reports changes only: a record without a creation time changed. */
function classifyDelta(p: Parsed, shape: RecordShape): ChangeKind {
  if (p.removed) return 'deleted';
  return p.created !== undefined ? classify(p, false, shape) : 'updated';
}

function change(p: Parsed, kind: ChangeKind, now: Date): Change {
  const at = p.ts ?? p.created;
  return { kind, id: p.id, version: kind === 'deleted' ? 'deleted' : p.version, at: at === undefined ? now : new Date(at), record: p.record };
}

/** The newest n changes, by record time when there is one, else the last n in answer order. */
export function newestChanges(changes: Change[], n: number): Change[] {
  return newest(changes, n);
}

function newest(changes: Change[], n: number): Change[] {
  const indexed = changes.map((c, i) => ({ c, i }));
  indexed.sort((a, b) => b.c.at.getTime() - a.c.at.getTime() || b.i - a.i);
  return indexed.slice(0, n).sort((a, b) => a.i - b.i).map((x) => x.c);
}

export interface Advance {
  changes: Change[];
  cursor: PollCursor;
  /** Records of this answer not already seen: a watermark poll asks again while there are some. */
  fresh: number;
}

/**
 * One answer of a watermark or snapshot source: which records are changes, and the cursor
 * after them. `firstRun` answers are the trigger's first: with backfill they fire the newest
 * n records; with "now" only what changed after the start.
 */
export function advanceList(cursor: PollCursor, records: unknown[], shape: RecordShape, options: { overlapMs: number; now: Date; watermarkSource: boolean }): Advance {
  const parsed = records.map((r) => parseRecord(r, shape)).filter((p): p is Parsed => p !== undefined);
  const timed = shape.timestampPath !== undefined;
  const watermark = cursor.watermark ? Date.parse(cursor.watermark) : undefined;
  const floor = watermark === undefined ? -Infinity : watermark - options.overlapMs;
  const notBefore = cursor.notBefore ? Date.parse(cursor.notBefore) : -Infinity;
  const baselineOnly = !timed && cursor.initialRound && cursor.backfill === undefined;

  const changes: Change[] = [];
  let fresh = 0;
  let newestTs = watermark ?? -Infinity;
  for (const p of parsed) {
    if (p.ts !== undefined) newestTs = Math.max(newestTs, p.ts);
    if (p.ts !== undefined && p.ts < floor) continue;
    const known = cursor.seen[p.id];
    if (known && known[0] === p.version) continue;
    fresh++;
    if (baselineOnly) continue;
    if (p.ts !== undefined && p.ts < notBefore) continue;
    changes.push(change(p, classify(p, known !== undefined, shape, floor), options.now));
  }

  let nextWatermark = cursor.watermark ?? null;
  if (timed && Number.isFinite(newestTs)) nextWatermark = new Date(newestTs).toISOString();
  else if (!timed && options.watermarkSource) nextWatermark = new Date(options.now.getTime() - options.overlapMs).toISOString();

  const seen: Record<string, SeenEntry> = {};
  if (timed) {
    const keepFrom = nextWatermark ? Date.parse(nextWatermark) - options.overlapMs : -Infinity;
    for (const [id, entry] of Object.entries(cursor.seen)) if (entry[1] !== null && entry[1] >= keepFrom) seen[id] = entry;
    for (const p of parsed) if (p.ts !== undefined && p.ts >= keepFrom) seen[p.id] = [p.version, p.ts];
  } else {
    // Without record times the last answer is the whole memory: a snapshot to diff the next one against.
    for (const p of parsed) seen[p.id] = [p.version, null];
  }
  const next: PollCursor = { ...cursor, watermark: nextWatermark, seen };
  // Once polls no longer reach back before the start, the start time says nothing more; dropping
  // it lets triggers started at different times converge on one cursor (and share their fetches).
  if (next.notBefore && nextWatermark && Date.parse(nextWatermark) - options.overlapMs >= Date.parse(next.notBefore)) delete next.notBefore;
  return { changes, cursor: next, fresh };
}

/**
 * One delta round (or part of one). The first round lists everything there is (the initial
 * sync): its records are not changes, except the newest n when backfilling. Later rounds list
 * changes only, removals included.
 */
export function advanceDelta(cursor: PollCursor, records: unknown[], shape: RecordShape, links: { deltaLink?: string | undefined; nextLink?: string | undefined }, now: Date): Advance {
  const parsed = records.map((r) => parseRecord(r, shape)).filter((p): p is Parsed => p !== undefined);
  let changes: Change[];
  if (cursor.initialRound) {
    // Candidates for a backfill; the caller keeps the newest n of the whole round (newestChanges).
    changes = cursor.backfill ? parsed.filter((p) => !p.removed).map((p) => change(p, classify(p, false, shape), now)) : [];
  } else {
    changes = parsed.map((p) => change(p, classifyDelta(p, shape), now));
  }
  const roundDone = links.deltaLink !== undefined;
  const next: PollCursor = { ...cursor, seen: {} };
  if (roundDone) {
    next.deltaLink = links.deltaLink!;
    delete next.nextLink;
    next.initialRound = false;
    delete next.backfill;
  } else if (links.nextLink) {
    next.nextLink = links.nextLink;
  }
  return { changes, cursor: next, fresh: changes.length };
}

/** After the first poll of a list source: the start decision is spent (delta sources end it with their first round). */
export function afterFirstRun(cursor: PollCursor, changes: Change[]): { cursor: PollCursor; changes: Change[] } {
  if (!cursor.initialRound) return { cursor, changes };
  const picked = cursor.backfill !== undefined ? newest(changes, cursor.backfill) : changes;
  const next = { ...cursor, initialRound: false };
  delete next.backfill;
  return { cursor: next, changes: picked };
}
