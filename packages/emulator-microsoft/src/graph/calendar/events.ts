/**
 * Events: list (a calendar's or all), get, create (201; invitations go to attendees who are
 * emulator users), update (an organizer's change reaches attendees' copies), delete (204; an
 * organizer deleting a meeting cancels it for the attendees, as Graph documents).
 */
import { readEventFields, WRITABLE_EVENT_PROPERTIES, type EventFields } from '../../data/calendar/event-input.ts';
import { cancelMeeting, propagateUpdate, sendInvitations } from '../../data/calendar/scheduling.ts';
import type { Json } from '../../input.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { collectionResponse, entityResponse } from '../odata/collection.ts';
import { OutlookErrors } from '../outlook-errors.ts';
import type { Route } from '../router/match.ts';
import { calendarContext, getCalendar, getEvent, openCalendar, type CalendarContext } from './calendar-access.ts';
import { EVENT_SCHEMA } from './schema.ts';
import { eventJson, eventView } from './serialize.ts';

const ALWAYS = ['@odata.etag', 'id'] as const;
const READ_ONLY = new Set(Object.keys(EVENT_SCHEMA.props).filter((p) => !(WRITABLE_EVENT_PROPERTIES as readonly string[]).includes(p)));

function checkEventBody(o: Json): void {
  for (const key of Object.keys(o)) {
    if (key.startsWith('@odata')) continue;
    if (!(WRITABLE_EVENT_PROPERTIES as readonly string[]).includes(key) && !READ_ONLY.has(key)) throw OutlookErrors.unknownBodyProperty(key, 'Event');
  }
}

export function eventEntity(call: GraphCall, ctx: CalendarContext, id: string, status = 200): GraphResult {
  return entityResponse(call, eventJson(call, getEvent(ctx, id), eventView(call)), {
    schema: EVENT_SCHEMA,
    context: calendarContext(call, ctx, 'events/$entity'),
    alwaysSelected: ALWAYS,
    status,
  });
}

/** `which`: every calendar, the default one, or a calendar id. */
function list(call: GraphCall, which: { all: true } | { id?: string }): GraphResult {
  const ctx = openCalendar(call, RULES.calendarsRead);
  const calendar = 'all' in which ? undefined : getCalendar(ctx, which.id);
  const view = eventView(call);
  const items = ctx.store
    .eventsIn(calendar?.id)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((e) => eventJson(call, e, view));
  return collectionResponse(call, items, {
    schema: EVENT_SCHEMA,
    context: calendarContext(call, ctx, calendar === undefined ? 'events' : `calendars('${calendar.id}')/events`),
    defaultPageSize: 10,
    maxTop: 1000,
    paging: 'skip',
    alwaysSelected: ALWAYS,
  });
}

function checkTimes(f: EventFields): void {
  if (f.startMs !== undefined && f.endMs !== undefined && f.endMs < f.startMs) {
    throw OutlookErrors.invalidRequest('The event end time must be later than or equal to its start time.');
  }
}

function create(call: GraphCall, calendarId?: string): GraphResult {
  const ctx = openCalendar(call, RULES.calendarsWrite);
  const calendar = getCalendar(ctx, calendarId);
  const o = call.json();
  checkEventBody(o);
  const f = readEventFields(o, 'event');
  if (!f.start || !f.end || f.startMs === undefined || f.endMs === undefined) {
    throw OutlookErrors.invalidRequest("Your request can't be completed. The event needs both a start and an end.");
  }
  checkTimes(f);
  const event = ctx.store.insert(ctx.store.compose({ ...f, start: f.start, end: f.end, startMs: f.startMs, endMs: f.endMs }, { calendarId: calendar.id, isOrganizer: true }));
  sendInvitations(ctx.store, event, call.store);
  return eventEntity(call, ctx, event.id, 201);
}

const update: GraphHandler = (call) => {
  const ctx = openCalendar(call, RULES.calendarsWrite);
  const event = getEvent(ctx, call.param('eventId'));
  const o = call.json();
  checkEventBody(o);
  const f = readEventFields(o, 'event');
  checkTimes({ startMs: f.startMs ?? event.startMs, endMs: f.endMs ?? event.endMs });
  ctx.store.update(event, (e) => {
    for (const [k, v] of Object.entries(f)) if (v !== undefined) (e as unknown as Record<string, unknown>)[k] = v;
    if (f.location && !f.locations) e.locations = f.location.displayName ? [f.location] : [];
    if (f.isOnlineMeeting === true && !e.onlineMeeting) {
      const fresh = ctx.store.compose({ start: e.start, end: e.end, startMs: e.startMs, endMs: e.endMs, isOnlineMeeting: true }, { calendarId: e.calendarId, isOrganizer: true });
      e.onlineMeeting = fresh.onlineMeeting;
      e.onlineMeetingProvider = fresh.onlineMeetingProvider;
    }
    if (f.isOnlineMeeting === false) {
      e.onlineMeeting = null;
      e.onlineMeetingProvider = 'unknown';
    }
  });
  if (event.isOrganizer) propagateUpdate(ctx.store, event, call.store);
  return eventEntity(call, ctx, event.id);
};

const remove: GraphHandler = (call) => {
  const ctx = openCalendar(call, RULES.calendarsWrite);
  const event = getEvent(ctx, call.param('eventId'));
  if (event.isOrganizer) cancelMeeting(ctx.store, event, call.store);
  else ctx.store.remove(event);
  return { status: 204 };
};

const get: GraphHandler = (call) => eventEntity(call, openCalendar(call, RULES.calendarsRead), call.param('eventId'));

export const EVENT_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/events', methods: { GET: (c) => list(c, { all: true }), POST: (c) => create(c) } },
  { pattern: '{user}/calendar/events', methods: { GET: (c) => list(c, {}), POST: (c) => create(c) } },
  { pattern: '{user}/calendars/:calendarId/events', methods: { GET: (c) => list(c, { id: c.param('calendarId') }), POST: (c) => create(c, c.param('calendarId')) } },
  { pattern: '{user}/events/:eventId', methods: { GET: get, PATCH: update, DELETE: remove } },
];
