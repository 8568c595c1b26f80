/**
 * calendarView: the events and occurrences overlapping [startDateTime, endDateTime). Both
 * parameters are required ISO 8601 instants; one without an offset is UTC, and neither is
 * affected by `Prefer: outlook.timezone` (reference doc, "calendarView"). Series are expanded
 * into occurrences (see data/calendar/recurrence.ts for the patterns covered). calendarView
 * delta (graph/delta/calendar-delta.ts) shares the window and the expansion.
 */
import type { StoredEvent } from '../../data/calendar/model.ts';
import { expandOccurrences } from '../../data/calendar/recurrence.ts';
import { outlookId } from '../../data/ids.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { GraphError } from '../errors.ts';
import { collectionResponse } from '../odata/collection.ts';
import type { Route } from '../router/match.ts';
import { calendarContext, getCalendar, openCalendar } from './calendar-access.ts';
import { EVENT_SCHEMA } from './schema.ts';
import { eventJson, eventView, type Occurrence } from './serialize.ts';

const missingWindow = () =>
  new GraphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');

function instant(call: GraphCall, name: 'startDateTime' | 'endDateTime'): number {
  const raw = call.option(name);
  if (raw === undefined || raw.trim() === '') throw missingWindow();
  const value = raw.trim();
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(value) || value.length <= 10 ? value : `${value}Z`);
  if (!Number.isFinite(ms)) {
    const label = name === 'startDateTime' ? 'StartDateTime' : 'EndDateTime';
    throw new GraphError(400, 'ErrorInvalidParameter', `The value '${raw}' of parameter '${label}' is invalid.`);
  }
  return ms;
}

/** The view's window from the request's startDateTime and endDateTime (400 when missing or invalid). */
export function viewWindow(call: GraphCall): { start: number; end: number } {
  return { start: instant(call, 'startDateTime'), end: instant(call, 'endDateTime') };
}

/** One line of a calendar view: a single event, or one occurrence of a series. */
export interface ViewEntry {
  id: string;
  startMs: number;
  event: StoredEvent;
  occurrence?: Occurrence;
}

/** What an event contributes to the window: itself if it overlaps, or its occurrences that do. */
export function viewEntries(e: StoredEvent, start: number, end: number, personal: boolean): ViewEntry[] {
  if (!e.recurrence) return e.startMs < end && e.endMs > start ? [{ id: e.id, startMs: e.startMs, event: e }] : [];
  return expandOccurrences(e, start, end).map((o) => {
    const id = outlookId(['occurrence', e.id, o.date], personal);
    return { id, startMs: o.startMs, event: e, occurrence: { id, seriesMasterId: e.id, startMs: o.startMs, endMs: o.endMs } };
  });
}

function view(call: GraphCall, which: { all: true } | { id?: string }): GraphResult {
  const ctx = openCalendar(call, RULES.calendarsRead);
  const { start, end } = viewWindow(call);
  const calendar = 'all' in which ? undefined : getCalendar(ctx, which.id);
  const v = eventView(call);
  const entries = ctx.store.eventsIn(calendar?.id).flatMap((e) => viewEntries(e, start, end, ctx.store.owner.personal));
  entries.sort((a, b) => a.startMs - b.startMs);
  return collectionResponse(
    call,
    entries.map((i) => eventJson(call, i.event, v, i.occurrence)),
    { schema: EVENT_SCHEMA, context: calendarContext(call, ctx, 'calendarView'), defaultPageSize: 10, maxTop: 1000, paging: 'skip', alwaysSelected: ['@odata.etag', 'id'] },
  );
}

export const CALENDAR_VIEW_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/calendarView', methods: { GET: (c) => view(c, { all: true }) } },
  { pattern: '{user}/calendar/calendarView', methods: { GET: (c) => view(c, {}) } },
  { pattern: '{user}/calendars/:calendarId/calendarView', methods: { GET: (c) => view(c, { id: c.param('calendarId') }) } },
];
