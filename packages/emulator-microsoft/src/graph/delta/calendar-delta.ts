/**
 * calendarView delta: GET {user}/calendarView/delta?startDateTime=..&endDateTime=.. (also
 * `calendar/calendarView/delta` and `calendars/{id}/calendarView/delta`). The window is
 * required on the first request and travels in the tokens afterwards. The first round lists
 * the view as calendarView does (single events, and occurrences of series); later rounds list
 * changed events that overlap the window, and `@removed` for deleted ones and for events moved
 * out of the window. Exchange takes no $select, $filter, $orderby, $expand, $search or $top here.
 * Known gap: when a series changes its pattern, occurrences that disappear from the window are
 * not reported as removed (the emulator keeps no history of earlier patterns).
 */
import type { CalendarStore } from '../../data/calendar/calendar-store.ts';
import { RULES } from '../access.ts';
import { getCalendar, openCalendar, type CalendarContext } from '../calendar/calendar-access.ts';
import { eventJson, eventView } from '../calendar/serialize.ts';
import { viewEntries, viewWindow } from '../calendar/view.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import type { Route } from '../router/match.ts';
import { unsupportedWithDelta } from './errors.ts';
import { DEFAULT_DELTA_PAGE, pageSize, removedEntry, roundOf, serveRound, type TrackedCollection } from './round.ts';
import { readToken, type SkipToken, type SyncToken } from './tokens.ts';
import { netChanges } from './window.ts';

const REFUSED = ['$orderby', '$filter', '$select', '$expand', '$search', '$top'];

function trackedView(call: GraphCall, ctx: CalendarContext, calendarId: string | null, round: SkipToken): TrackedCollection {
  const start = Number(round.o.start);
  const end = Number(round.o.end);
  const store: CalendarStore = ctx.store;
  const personal = store.owner.personal;
  const view = eventView(call);
  const log = call.store.changes;
  return {
    items: () =>
      store
        .eventsIn(calendarId ?? undefined)
        .flatMap((e) => viewEntries(e, start, end, personal))
        .sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : 1))
        .map((entry) => ({ key: { at: entry.startMs, id: entry.id }, json: () => eventJson(call, entry.event, view, entry.occurrence) })),
    // Earliest first, ties by id.
    follows: (key, cursor) => key.at > cursor.at || (key.at === cursor.at && key.id > cursor.id),
    changes: (from, to) => netChanges(log, from, to, { userId: ctx.user.id, resource: 'event', ...(calendarId ? { container: calendarId } : {}) }),
    entries: (change) => {
      const event = store.event(change.id);
      if (event && (!calendarId || event.calendarId === calendarId)) {
        const inWindow = viewEntries(event, start, end, personal);
        if (inWindow.length > 0) return inWindow.map((entry) => eventJson(call, entry.event, view, entry.occurrence));
        // Moved out of the window: the client may hold it; an event created out of it, never.
        return change.net === 'created' ? [] : [removedEntry('event', event.id)];
      }
      if (change.net === 'created') return [];
      // Deleted: a series is removed occurrence by occurrence, as the client got it.
      const last = store.tombstone(change.id);
      const gone = last ? viewEntries(last, start, end, personal) : [];
      return gone.length > 0 ? gone.map((entry) => removedEntry('event', entry.id)) : [removedEntry('event', change.id)];
    },
  };
}

function calendarViewDelta(call: GraphCall, which: { all: true } | { id?: string }): GraphResult {
  const ctx = openCalendar(call, RULES.calendarsRead);
  const refused = REFUSED.filter((o) => call.option(o) !== undefined);
  if (refused.length > 0) throw unsupportedWithDelta('CalendarView', refused);
  const calendarId = 'all' in which ? null : getCalendar(ctx, which.id).id;
  const log = call.store.changes;
  const sync = call.store.sync;
  const text = call.option('$deltatoken') ?? call.option('deltatoken') ?? call.option('$skiptoken');
  let token: SyncToken;
  if (text !== undefined) token = readToken(text, { kind: 'calendarView', userId: ctx.user.id, container: calendarId }, sync, log);
  else {
    const { start, end } = viewWindow(call);
    const o = { start: String(start), end: String(end) };
    token = { t: 'skip', g: sync.generation, k: 'calendarView', u: ctx.user.id, c: calendarId, o, n: DEFAULT_DELTA_PAGE, from: null, to: log.latest, cursor: null, offset: 0, sub: 0 };
  }
  const round = roundOf(token, log.latest);
  return serveRound(call, round, trackedView(call, ctx, calendarId, round), pageSize(call, round.n), `${call.metadata}#Collection(event)`);
}

export const CALENDAR_DELTA_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/calendarView/delta', methods: { GET: (c) => calendarViewDelta(c, { all: true }) } },
  { pattern: '{user}/calendar/calendarView/delta', methods: { GET: (c) => calendarViewDelta(c, {}) } },
  { pattern: '{user}/calendars/:calendarId/calendarView/delta', methods: { GET: (c) => calendarViewDelta(c, { id: c.param('calendarId') }) } },
];
