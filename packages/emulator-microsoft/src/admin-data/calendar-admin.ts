/**
 * Calendar data for tests: add events (meetings invite attendees who are emulator users, as
 * Graph does), read, change and delete them. Inputs use Graph's event JSON; attendees may be
 * `"Name <a@b>"` strings and `start`/`end` default to UTC when the zone is left out.
 */
import type { CalendarStore } from '../data/calendar/calendar-store.ts';
import { readEventFields } from '../data/calendar/event-input.ts';
import type { StoredEvent } from '../data/calendar/model.ts';
import { cancelMeeting, propagateUpdate, sendInvitations } from '../data/calendar/scheduling.ts';
import { isOutlookId } from '../data/ids.ts';
import { eventJson } from '../graph/calendar/serialize.ts';
import { InputError, NotFoundError, object, optionalBoolean, optionalString, type Json } from '../input.ts';
import { relativeWallTime } from './relative-time.ts';
import type { AdminScope } from './scope.ts';

export interface EventInput {
  subject?: string;
  body?: string | { contentType: string; content: string };
  /** Wall time in `timeZone` (default UTC); may be relative: `today+1d@10:00`, `now+2h`. */
  start: { dateTime: string; timeZone?: string };
  end: { dateTime: string; timeZone?: string };
  isAllDay?: boolean;
  location?: string | { displayName: string };
  attendees?: (string | { emailAddress: { address: string; name?: string }; type?: 'required' | 'optional' | 'resource' })[];
  isOnlineMeeting?: boolean;
  recurrence?: unknown;
  categories?: string[];
  showAs?: string;
  importance?: string;
  /** A calendar id (default: the user's default calendar). */
  calendar?: string;
  /** A fixed Exchange-style id. */
  id?: string;
  /** Send invitations to attendees who are emulator users (default true). */
  invite?: boolean;
  [key: string]: unknown;
}

export class CalendarAdmin {
  constructor(private readonly scope: AdminScope) {}

  private store(user: string): CalendarStore {
    return this.scope.store.calendar(this.scope.mailUser(user));
  }

  private view(e: StoredEvent): Json {
    return eventJson(this.scope, e, { timeZone: 'UTC', bodyType: e.body.contentType });
  }

  private find(store: CalendarStore, id: string): StoredEvent {
    const e = store.event(id);
    if (!e) throw new NotFoundError(`no event '${id}' in that calendar`);
    return e;
  }

  /** Relative wall times (`today+1d@10:00`, `now+2h`) become real ones in the event's zone. */
  private resolveTimes(o: Json): Json {
    const out = { ...o };
    for (const key of ['start', 'end'] as const) {
      const d = o[key];
      if (typeof d !== 'object' || d === null) continue;
      const zone = typeof (d as Json).timeZone === 'string' ? ((d as Json).timeZone as string) : 'UTC';
      const wall = relativeWallTime((d as Json).dateTime, this.scope.now(), zone);
      if (wall !== undefined) out[key] = { ...(d as Json), dateTime: wall, timeZone: zone };
    }
    const range = (o.recurrence as Json | undefined)?.range as Json | undefined;
    if (range) {
      const zone = typeof (o.start as Json | undefined)?.timeZone === 'string' ? ((o.start as Json).timeZone as string) : 'UTC';
      const resolved = { ...range };
      for (const key of ['startDate', 'endDate'] as const) {
        const wall = relativeWallTime(range[key], this.scope.now(), zone);
        if (wall !== undefined) resolved[key] = wall.slice(0, 10);
      }
      out.recurrence = { ...(o.recurrence as Json), range: resolved };
    }
    return out;
  }

  add(user: string, input: EventInput): Json {
    const o = this.resolveTimes(object(input, 'event'));
    const store = this.store(user);
    const f = readEventFields(o, 'event', { shorthand: true });
    if (!f.start || !f.end || f.startMs === undefined || f.endMs === undefined) throw new InputError('event.start and event.end are required');
    if (f.endMs < f.startMs) throw new InputError('event.end must not be before event.start');
    const calendarRef = optionalString(o, 'calendar', 'event');
    const calendar = calendarRef === undefined ? store.defaultCalendar() : store.calendar(calendarRef);
    if (!calendar) throw new NotFoundError(`no calendar '${calendarRef}'`);
    const id = optionalString(o, 'id', 'event');
    if (id !== undefined && (!isOutlookId(id) || store.event(id))) throw new InputError('event.id must be an unused Exchange-style id (AAMk...)');
    const event = store.insert(store.compose({ ...f, start: f.start, end: f.end, startMs: f.startMs, endMs: f.endMs }, { calendarId: calendar.id, isOrganizer: true, ...(id ? { id } : {}) }));
    if (optionalBoolean(o, 'invite', 'event') ?? true) sendInvitations(store, event, this.scope.store);
    return this.view(event);
  }

  list(user: string): Json[] {
    return this.store(user)
      .eventsIn()
      .sort((a, b) => a.startMs - b.startMs)
      .map((e) => this.view(e));
  }

  get(user: string, id: string): Json {
    return this.view(this.find(this.store(user), id));
  }

  /** Graph PATCH semantics; an organizer's change reaches the attendees' copies. */
  update(user: string, id: string, patch: Partial<EventInput>): Json {
    const store = this.store(user);
    const event = this.find(store, id);
    const f = readEventFields(this.resolveTimes(object(patch, 'patch')), 'patch', { shorthand: true });
    store.update(event, (e) => {
      for (const [k, v] of Object.entries(f)) if (v !== undefined) (e as unknown as Record<string, unknown>)[k] = v;
    });
    if (event.isOrganizer) propagateUpdate(store, event, this.scope.store);
    return this.view(event);
  }

  /** Deleting an organizer's meeting cancels it for attendees, as in Graph. */
  remove(user: string, id: string): void {
    const store = this.store(user);
    const event = this.find(store, id);
    if (event.isOrganizer) cancelMeeting(store, event, this.scope.store);
    else store.remove(event);
  }
}
