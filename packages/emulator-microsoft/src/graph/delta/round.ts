/**
 * Serving one page of a delta round, whatever is tracked. A tracked collection supplies its
 * current items in serving order (first round) and turns a net change into the JSON entries
 * the client receives (incremental rounds); this file does the paging and the links:
 *   - each page but the last ends with `@odata.nextLink` (`$skiptoken`), the last with
 *     `@odata.deltaLink` (`$deltatoken`) for the next round;
 *   - links point at the host and path the client used (requestOrigin), like every nextLink;
 *   - the first round pages with a cursor (the sort key of the last item served), so an item
 *     deleted meanwhile never shifts another one off a page boundary;
 *   - incremental rounds page over the round's fixed list of net changes (see window.ts).
 */
import type { GraphCall, GraphResult } from '../call.ts';
import type { Entity } from '../odata/collection.ts';
import { encodeToken, type DeltaToken, type FirstRoundCursor, type SkipToken, type SyncToken } from './tokens.ts';
import type { NetChange } from './window.ts';

export interface FirstRoundItem {
  key: FirstRoundCursor;
  json: () => Entity;
}

export interface TrackedCollection {
  /** Every current item, in serving order. */
  items(): FirstRoundItem[];
  /** Whether `key` comes after `cursor` in serving order. */
  follows(key: FirstRoundCursor, cursor: FirstRoundCursor): boolean;
  /** Net changes in (from, to], in order (already narrowed by the round's changeType option). */
  changes(from: number, to: number): NetChange[];
  /** The entries a change produces now: full items, `@removed` markers, or nothing. */
  entries(change: NetChange): Entity[];
}

/** Graph's default page for Outlook delta, unless `Prefer: odata.maxpagesize` or `$top` says otherwise. */
export const DEFAULT_DELTA_PAGE = 10;
const MAX_DELTA_PAGE = 1000;

/** The Prefer page size of this request (recorded as applied), else the one fixed at the round's start. */
export function pageSize(call: GraphCall, fallback: number): number {
  const preferred = Number(call.prefer.get('odata.maxpagesize'));
  if (Number.isInteger(preferred) && preferred > 0) {
    call.apply(`odata.maxpagesize=${preferred}`);
    return Math.min(preferred, MAX_DELTA_PAGE);
  }
  return fallback;
}

/** A request with a token continues where the token says; a `$deltatoken` opens a round ending now. */
export function roundOf(token: SyncToken, latest: number): SkipToken {
  if (token.t === 'skip') return token;
  const { since, t: _delta, ...common } = token;
  return { ...common, t: 'skip', from: since, to: latest, cursor: null, offset: 0, sub: 0 };
}

function link(call: GraphCall, param: '$skiptoken' | '$deltatoken', token: SyncToken): string {
  return `${call.origin}${call.path}?${param}=${encodeToken(token)}`;
}

export function serveRound(call: GraphCall, round: SkipToken, tracked: TrackedCollection, size: number, context: string): GraphResult {
  const value: Entity[] = [];
  let next: SkipToken | undefined;
  if (round.from === null) {
    const items = tracked.items();
    const cursor = round.cursor;
    let start = cursor ? items.findIndex((i) => tracked.follows(i.key, cursor)) : 0;
    if (start === -1) start = items.length;
    const page = items.slice(start, start + size);
    value.push(...page.map((i) => i.json()));
    if (start + size < items.length) next = { ...round, cursor: page[page.length - 1]!.key };
  } else {
    const changes = tracked.changes(round.from, round.to);
    let offset = round.offset;
    let sub = round.sub;
    // Walk changes until the page is full; a change may expand to several entries (occurrences).
    while (offset < changes.length && value.length < size) {
      const entries = tracked.entries(changes[offset]!).slice(sub);
      const room = size - value.length;
      value.push(...entries.slice(0, room));
      if (entries.length > room) {
        sub += room;
        break;
      }
      offset++;
      sub = 0;
    }
    if (offset < changes.length) next = { ...round, offset, sub };
  }
  const body: Record<string, unknown> = { '@odata.context': context, value };
  if (next) body['@odata.nextLink'] = link(call, '$skiptoken', next);
  else {
    const { from: _f, to, cursor: _c, offset: _o, sub: _s, t: _t, ...common } = round;
    const delta: DeltaToken = { ...common, t: 'delta', since: to };
    body['@odata.deltaLink'] = link(call, '$deltatoken', delta);
  }
  return { status: 200, body };
}

/** The marker a delta response carries for an item that left the collection. */
export function removedEntry(type: 'message' | 'event', id: string): Entity {
  return { '@odata.type': `#microsoft.graph.${type}`, id, '@removed': { reason: 'deleted' } };
}
