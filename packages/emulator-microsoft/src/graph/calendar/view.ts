/**
 * calendarView: the events and occurrences overlapping [startDateTime, endDateTime). Both
 * parameters are required ISO 8601 instants; one without an offset is UTC, and neither is
 * affected by `Prefer: outlook.timezone` (reference doc, "calendarView"). Series are expanded
 * into occurrences (see data/calendar/recurrence.ts for the patterns covered).
 */
import { expandOccurrences } from '../../data/calendar/recurrence.ts';
import { outlookId } from '../../data/ids.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { GraphError } from '../errors.ts';
import { collectionResponse } from '../odata/collection.ts';
import type { Route } from '../router/match.ts';
import { calendarContext, getCalendar, openCalendar } from './calendar-access.ts';
import { EVENT_SCHEMA } from './schema.ts';
import { eventJson, eventView } from './serialize.ts';

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

function view(call: GraphCall, which: { all: true } | { id?: string }): GraphResult {
  const ctx = openCalendar(call, RULES.calendarsRead);
  const start = instant(call, 'startDateTime');
  const end = instant(call, 'endDateTime');
  const calendar = 'all' in which ? undefined : getCalendar(ctx, which.id);
  const v = eventView(call);
  const items: { startMs: number; json: Record<string, unknown> }[] = [];
  for (const e of ctx.store.eventsIn(calendar?.id)) {
    if (e.recurrence) {
      for (const o of expandOccurrences(e, start, end)) {
        const id = outlookId(['occurrence', e.id, o.date], ctx.store.owner.personal);
        items.push({ startMs: o.startMs, json: eventJson(call, e, v, { id, seriesMasterId: e.id, startMs: o.startMs, endMs: o.endMs }) });
      }
    } else if (e.startMs < end && e.endMs > start) {
      items.push({ startMs: e.startMs, json: eventJson(call, e, v) });
    }
  }
  items.sort((a, b) => a.startMs - b.startMs);
  return collectionResponse(
    call,
    items.map((i) => i.json),
    { schema: EVENT_SCHEMA, context: calendarContext(call, ctx, 'calendarView'), defaultPageSize: 10, maxTop: 1000, paging: 'skip', alwaysSelected: ['@odata.etag', 'id'] },
  );
}

export const CALENDAR_VIEW_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/calendarView', methods: { GET: (c) => view(c, { all: true }) } },
  { pattern: '{user}/calendar/calendarView', methods: { GET: (c) => view(c, {}) } },
  { pattern: '{user}/calendars/:calendarId/calendarView', methods: { GET: (c) => view(c, { id: c.param('calendarId') }) } },
];
