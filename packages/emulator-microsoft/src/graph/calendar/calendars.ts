/** Calendars: list, the default calendar (`/calendar`), one by id, create (201), rename, delete. */
import { optionalString } from '../../input.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { collectionResponse, entityResponse } from '../odata/collection.ts';
import { OutlookErrors } from '../outlook-errors.ts';
import type { Route } from '../router/match.ts';
import { calendarContext, getCalendar, openCalendar, type CalendarContext } from './calendar-access.ts';
import { CALENDAR_SCHEMA } from './schema.ts';
import { calendarJson } from './serialize.ts';

function one(call: GraphCall, ctx: CalendarContext, id: string | undefined, status = 200): GraphResult {
  const c = getCalendar(ctx, id);
  return entityResponse(call, calendarJson(ctx.store, c), { schema: CALENDAR_SCHEMA, context: calendarContext(call, ctx, id === undefined ? 'calendar/$entity' : 'calendars/$entity'), alwaysSelected: ['id'], status });
}

const list: GraphHandler = (call) => {
  const ctx = openCalendar(call, RULES.calendarsRead);
  const items = [...ctx.store.calendars.values()].map((c) => calendarJson(ctx.store, c));
  return collectionResponse(call, items, { schema: CALENDAR_SCHEMA, context: calendarContext(call, ctx, 'calendars'), defaultPageSize: 10, maxTop: 1000, paging: 'skip', alwaysSelected: ['id'] });
};

const create: GraphHandler = (call) => {
  const ctx = openCalendar(call, RULES.calendarsWrite);
  const o = call.json();
  const name = optionalString(o, 'name', 'calendar');
  if (!name) throw OutlookErrors.invalidRequest("The 'name' property is required.");
  if ([...ctx.store.calendars.values()].some((c) => c.name.toLowerCase() === name.toLowerCase())) {
    throw OutlookErrors.invalidRequest(`A calendar named '${name}' already exists.`);
  }
  const c = ctx.store.createCalendar(name, optionalString(o, 'color', 'calendar') ?? 'auto');
  return one(call, ctx, c.id, 201);
};

const update: GraphHandler = (call) => {
  const ctx = openCalendar(call, RULES.calendarsWrite);
  const c = getCalendar(ctx, call.param('calendarId'));
  const o = call.json();
  const name = optionalString(o, 'name', 'calendar');
  if (name !== undefined) c.name = name;
  const color = optionalString(o, 'color', 'calendar');
  if (color !== undefined) c.color = color;
  c.version++;
  return one(call, ctx, c.id);
};

const remove: GraphHandler = (call) => {
  const ctx = openCalendar(call, RULES.calendarsWrite);
  const c = getCalendar(ctx, call.param('calendarId'));
  if (c.isDefaultCalendar) throw OutlookErrors.invalidRequest('The default calendar cannot be deleted.');
  ctx.store.deleteCalendar(c);
  return { status: 204 };
};

export const CALENDAR_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{user}/calendars', methods: { GET: list, POST: create } },
  { pattern: '{user}/calendar', methods: { GET: (c) => one(c, openCalendar(c, RULES.calendarsRead), undefined) } },
  { pattern: '{user}/calendars/:calendarId', methods: { GET: (c) => one(c, openCalendar(c, RULES.calendarsRead), c.param('calendarId')), PATCH: update, DELETE: remove } },
];
