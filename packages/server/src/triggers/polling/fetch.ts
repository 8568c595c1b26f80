import { readPointer } from '@switchboard/catalog';
import type { ConnectionAccess } from '../../connections/service.ts';
import type { VendorCaller, VendorRequest, VendorResponse } from '../../outbound/vendor-call.ts';
import type { EventSource } from '../definition.ts';
import { TriggerDefinitionError, TriggerScope, buildRequest } from '../request.ts';
import { type Change, type PollCursor, type RecordShape, advanceDelta, advanceList, afterFirstRun, newestChanges } from './cursor.ts';

/** Watermark polls ask again while answers bring new records, at most this many times per poll. */
const MAX_ROUNDS = 10;
/** Delta pages read per poll; an unfinished round continues at the next poll. */
const MAX_DELTA_PAGES = 50;

export class PollError extends Error {
  override name = 'PollError';
  constructor(
    message: string,
    readonly vendorStatus: number | null,
  ) {
    super(message);
  }
}

export interface SourceRun {
  changes: Change[];
  cursor: PollCursor;
  /** The vendor said the delta link is no longer valid: the cursor restarts with a fresh round. */
  reset: boolean;
  requests: number;
}

export interface FetchContext {
  access: ConnectionAccess;
  vendor: VendorCaller;
  requestId: string;
  now: Date;
  signal?: AbortSignal | undefined;
}

/**
 * Reads what changed at the vendor since `cursor`, as the trigger definition describes:
 * a watermark query asked until it brings nothing new, a delta round followed page by page,
 * or a plain list compared with the last one. Nothing is written here; the poller stores the
 * changes and the returned cursor together.
 */
export async function runSource(source: EventSource, input: Record<string, unknown>, cursor: PollCursor, fx: FetchContext): Promise<SourceRun> {
  const polling = source.polling;
  if (!polling) throw new TriggerDefinitionError(`${source.operation} is not a polling trigger`);
  const shape: RecordShape = {
    idPath: polling.idPath,
    timestampPath: polling.timestampPath,
    createdPath: polling.createdPath,
    removedPath: polling.delta?.removedPath,
    defaultKind: source.event === 'updated' ? 'updated' : 'created',
  };
  if (polling.delta) return runDelta(source, input, cursor, shape, fx);

  const overlapMs = (polling.watermark?.overlapSeconds ?? 0) * 1000;
  let current = cursor;
  const changes: Change[] = [];
  let requests = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const extra = polling.watermark ? { watermark: formatWatermark(current.watermark, polling.watermark.format, overlapMs) } : {};
    const request = buildRequest(polling.request, new TriggerScope(fx.access.ctx, input, extra, input));
    const body = await send(fx, source, request);
    requests++;
    const advance = advanceList(current, recordsOf(body, polling.recordsPath), shape, { overlapMs, now: fx.now, watermarkSource: polling.watermark !== undefined });
    changes.push(...advance.changes);
    const moved = advance.cursor.watermark !== current.watermark;
    current = advance.cursor;
    // A plain list has no position to move; a watermark query is asked again only while it brings news.
    if (!polling.watermark || advance.fresh === 0 || !moved) break;
  }
  const first = afterFirstRun(current, changes);
  return { changes: first.changes, cursor: first.cursor, reset: false, requests };
}

async function runDelta(source: EventSource, input: Record<string, unknown>, cursor: PollCursor, shape: RecordShape, fx: FetchContext): Promise<SourceRun> {
  const polling = source.polling!;
  const delta = polling.delta!;
  const scope = new TriggerScope(fx.access.ctx, input, {}, input);
  const initial = buildRequest(polling.request, scope);
  let link = cursor.nextLink ?? cursor.deltaLink;
  let current = cursor;
  const changes: Change[] = [];
  let requests = 0;
  let reset = false;
  for (let page = 0; page < MAX_DELTA_PAGES; page++) {
    // Links carry the query already (the vendor encodes it into its tokens); the headers still apply.
    const request: VendorRequest = link ? { ...initial, method: 'GET', url: new URL(link), body: undefined, idempotent: true } : initial;
    let body: unknown;
    try {
      body = await send(fx, source, request);
    } catch (error) {
      if (link && !reset && error instanceof PollError && isExpiredDelta(error)) {
        // The vendor forgot the position: start a new round now, so what changes from here on is
        // news at the next poll (what changed in between cannot be told and is not fired).
        reset = true;
        requests++;
        current = { seen: {}, initialRound: true, notBefore: null };
        changes.length = 0;
        link = undefined;
        continue;
      }
      throw error;
    }
    requests++;
    const deltaLink = stringAt(body, delta.linkPath);
    const nextLink = delta.nextLinkPath ? stringAt(body, delta.nextLinkPath) : undefined;
    const advance = advanceDelta(current, recordsOf(body, polling.recordsPath), shape, { deltaLink, nextLink }, fx.now);
    changes.push(...advance.changes);
    current = advance.cursor;
    if (deltaLink !== undefined) break;
    if (!nextLink) throw new PollError('the vendor answered a delta page with neither a next link nor a delta link', null);
    link = nextLink;
  }
  // A backfill keeps the newest n of the initial round (as much of it as this poll read).
  const picked = cursor.initialRound && cursor.backfill ? newestChanges(changes, cursor.backfill) : changes;
  return { changes: picked, cursor: current, reset, requests };
}

/** Graph answers an expired or unknown delta token with 410, or with syncStateNotFound / resyncRequired. */
function isExpiredDelta(error: PollError): boolean {
  return error.vendorStatus === 410 || /syncStateNotFound|resyncRequired|syncStateInvalid/i.test(error.message);
}

async function send(fx: FetchContext, source: EventSource, request: VendorRequest): Promise<unknown> {
  let res: VendorResponse;
  res = await fx.vendor.send(fx.access.row, request, { requestId: fx.requestId, operation: source.operation, kind: 'trigger', ...(fx.signal ? { signal: fx.signal } : {}) });
  if (res.status < 200 || res.status >= 300) {
    const text = res.body.toString('utf8').slice(0, 300);
    throw new PollError(`the vendor answered ${res.status}${text ? `: ${text}` : ''}`, res.status);
  }
  if (res.json === undefined) throw new PollError('the vendor did not answer with JSON', res.status);
  return res.json;
}

function recordsOf(body: unknown, pointer: string): unknown[] {
  const records = readPointer(body, pointer);
  if (records === undefined || records === null) return [];
  if (!Array.isArray(records)) throw new PollError(`the answer holds no list of records at "${pointer || '/'}"`, null);
  return records;
}

function stringAt(body: unknown, pointer: string): string | undefined {
  const value = readPointer(body, pointer);
  return typeof value === 'string' && value ? value : undefined;
}

/** The {watermark} the request asks from: the cursor's watermark minus the overlap, in the definition's format. */
export function formatWatermark(watermark: string | null | undefined, format: 'iso8601' | 'unix' | 'unix-ms', overlapMs: number): string {
  const at = Math.max(0, (watermark ? Date.parse(watermark) : 0) - overlapMs);
  if (format === 'unix') return String(Math.floor(at / 1000));
  if (format === 'unix-ms') return String(at);
  // Whole seconds, rounded down: asking from a little earlier is always safe (the boundary removes repeats).
  return new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
