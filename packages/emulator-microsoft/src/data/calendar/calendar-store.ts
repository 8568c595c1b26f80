/**
 * One user's calendars and events. Meeting logic that spans users (invitations, responses,
 * cancellations) is in scheduling.ts; this file only keeps one owner's records consistent and
 * logs every change.
 */
import { guid, outlookId } from '../ids.ts';
import type { Recipient } from '../mail/model.ts';
import { recordChange, type OwnerContext } from '../owner.ts';
import type { EventFields } from './event-input.ts';
import type { StoredCalendar, StoredEvent } from './model.ts';

/** How many deleted events are remembered for calendarView delta (see `tombstone`). */
const MAX_TOMBSTONES = 1000;

export class CalendarStore {
  readonly calendars = new Map<string, StoredCalendar>();
  readonly events = new Map<string, StoredEvent>();
  /**
   * The last state of recently deleted events. calendarView delta reports a deleted series as
   * its occurrences in the window, whose ids derive from the series' dates; those are only
   * known from the event as it was.
   */
  private readonly tombstones = new Map<string, StoredEvent>();

  constructor(
    readonly owner: OwnerContext & { userId: string },
    readonly identity: () => Recipient,
  ) {
    const id = outlookId(['calendar', owner.userId, 'default'], owner.personal);
    this.calendars.set(id, { id, name: 'Calendar', color: 'auto', isDefaultCalendar: true, version: 1 });
  }

  newId(): string {
    return outlookId(undefined, this.owner.personal);
  }

  defaultCalendar(): StoredCalendar {
    return [...this.calendars.values()].find((c) => c.isDefaultCalendar)!;
  }

  calendar(id: string): StoredCalendar | undefined {
    return this.calendars.get(id);
  }

  createCalendar(name: string, color = 'auto'): StoredCalendar {
    const c: StoredCalendar = { id: this.newId(), name, color, isDefaultCalendar: false, version: 1 };
    this.calendars.set(c.id, c);
    return c;
  }

  /** Deletes a calendar and its events (the default calendar cannot go). */
  deleteCalendar(c: StoredCalendar): void {
    for (const e of this.eventsIn(c.id)) this.remove(e);
    this.calendars.delete(c.id);
  }

  eventsIn(calendarId?: string): StoredEvent[] {
    return [...this.events.values()].filter((e) => !calendarId || e.calendarId === calendarId);
  }

  event(id: string): StoredEvent | undefined {
    return this.events.get(id);
  }

  byICalUId(iCalUId: string): StoredEvent | undefined {
    return [...this.events.values()].find((e) => e.iCalUId === iCalUId);
  }

  /** A new event from fields; start and end must already be validated. */
  compose(
    fields: EventFields & Required<Pick<EventFields, 'start' | 'end' | 'startMs' | 'endMs'>>,
    o: { calendarId: string; isOrganizer: boolean; organizer?: Recipient; iCalUId?: string; id?: string },
  ): StoredEvent {
    const now = this.owner.now();
    const online = fields.isOnlineMeeting ?? false;
    const location = fields.location ?? { displayName: '', locationType: 'default', uniqueIdType: 'unknown' };
    return {
      id: o.id ?? this.newId(),
      calendarId: o.calendarId,
      iCalUId: o.iCalUId ?? `040000008200E00074C5B7101A82E00800000000${guid().replace(/-/g, '').toUpperCase()}`,
      createdAt: now,
      modifiedAt: now,
      version: 1,
      subject: fields.subject ?? '',
      body: fields.body ?? { contentType: 'html', content: '' },
      start: fields.start,
      end: fields.end,
      startMs: fields.startMs,
      endMs: fields.endMs,
      isAllDay: fields.isAllDay ?? false,
      location,
      locations: fields.locations ?? (location.displayName ? [location] : []),
      attendees: fields.attendees ?? [],
      organizer: o.organizer ?? this.identity(),
      isOrganizer: o.isOrganizer,
      responseStatus: o.isOrganizer ? { response: 'organizer', time: null } : { response: 'notResponded', time: null },
      responseRequested: fields.responseRequested ?? true,
      showAs: fields.showAs ?? (o.isOrganizer ? 'busy' : 'tentative'),
      importance: fields.importance ?? 'normal',
      sensitivity: fields.sensitivity ?? 'normal',
      categories: fields.categories ?? [],
      isCancelled: false,
      isReminderOn: fields.isReminderOn ?? true,
      reminderMinutesBeforeStart: fields.reminderMinutesBeforeStart ?? 15,
      isOnlineMeeting: online,
      onlineMeetingProvider: online ? (fields.onlineMeetingProvider && fields.onlineMeetingProvider !== 'unknown' ? fields.onlineMeetingProvider : 'teamsForBusiness') : 'unknown',
      onlineMeeting: online ? { joinUrl: teamsJoinUrl(this.owner.tenantId, this.owner.userId) } : null,
      allowNewTimeProposals: fields.allowNewTimeProposals ?? true,
      recurrence: fields.recurrence ?? null,
      transactionId: fields.transactionId ?? null,
    };
  }

  insert(event: StoredEvent): StoredEvent {
    this.events.set(event.id, event);
    recordChange(this.owner, 'created', 'event', event.id, { container: event.calendarId });
    return event;
  }

  update(event: StoredEvent, change: (e: StoredEvent) => void): StoredEvent {
    change(event);
    event.version++;
    event.modifiedAt = this.owner.now();
    recordChange(this.owner, 'updated', 'event', event.id, { container: event.calendarId });
    return event;
  }

  /** A deleted event as it was last, while it is still remembered. */
  tombstone(id: string): StoredEvent | undefined {
    return this.tombstones.get(id);
  }

  remove(event: StoredEvent): void {
    this.events.delete(event.id);
    this.tombstones.set(event.id, event);
    if (this.tombstones.size > MAX_TOMBSTONES) this.tombstones.delete(this.tombstones.keys().next().value!);
    recordChange(this.owner, 'deleted', 'event', event.id, { container: event.calendarId });
  }
}

/** A Teams meeting join link in the documented shape (thread id + tenant/organizer context). */
function teamsJoinUrl(tenantId: string, userId: string): string {
  const thread = `19%3ameeting_${Buffer.from(guid()).toString('base64url').slice(0, 48)}%40thread.v2`;
  const context = encodeURIComponent(JSON.stringify({ Tid: tenantId, Oid: userId }));
  return `https://teams.microsoft.com/l/meetup-join/${thread}/0?context=${context}`;
}
