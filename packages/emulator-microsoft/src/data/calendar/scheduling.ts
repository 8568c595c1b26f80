/**
 * Meetings across calendars. Creating an event with attendees "sends invitations" (reference
 * doc: "Invitations are sent to attendees"): every attendee who is an emulator user gets a copy
 * with the same iCalUId in their default calendar, not yet responded. Responses update the
 * attendee's copy and, when sendResponse is true, the attendee's status on the organizer's
 * event. An organizer's changes reach the copies; a cancellation marks them cancelled with
 * Outlook's "Canceled: " prefix.
 */
import type { Recipient } from '../mail/model.ts';
import type { CalendarStore } from './calendar-store.ts';
import type { ResponseType, StoredEvent } from './model.ts';

export interface CalendarDirectory {
  calendarFor(address: string): CalendarStore | undefined;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The fields an organizer controls, copied to attendees on invitation and on every update. */
function sharedFields(e: StoredEvent): Partial<StoredEvent> {
  return structuredClone({
    subject: e.subject,
    body: e.body,
    start: e.start,
    end: e.end,
    startMs: e.startMs,
    endMs: e.endMs,
    isAllDay: e.isAllDay,
    location: e.location,
    locations: e.locations,
    attendees: e.attendees,
    importance: e.importance,
    sensitivity: e.sensitivity,
    isOnlineMeeting: e.isOnlineMeeting,
    onlineMeetingProvider: e.onlineMeetingProvider,
    onlineMeeting: e.onlineMeeting,
    recurrence: e.recurrence,
    responseRequested: e.responseRequested,
    allowNewTimeProposals: e.allowNewTimeProposals,
  });
}

/** Invites attendees (or the given recipients) who do not have the meeting yet. */
export function sendInvitations(organizer: CalendarStore, event: StoredEvent, dir: CalendarDirectory, recipients?: Recipient[]): void {
  const self = organizer.identity().emailAddress.address;
  for (const r of recipients ?? event.attendees) {
    const address = r.emailAddress.address;
    if (same(address, self)) continue;
    const calendar = dir.calendarFor(address);
    if (!calendar || calendar.byICalUId(event.iCalUId)) continue;
    const copy = calendar.compose(
      { start: event.start, end: event.end, startMs: event.startMs, endMs: event.endMs },
      { calendarId: calendar.defaultCalendar().id, isOrganizer: false, organizer: event.organizer, iCalUId: event.iCalUId },
    );
    Object.assign(copy, sharedFields(event));
    calendar.insert(copy);
  }
}

/** After an organizer's change: copies follow, and newly added attendees are invited. */
export function propagateUpdate(organizer: CalendarStore, event: StoredEvent, dir: CalendarDirectory): void {
  const self = organizer.identity().emailAddress.address;
  for (const a of event.attendees) {
    if (same(a.emailAddress.address, self)) continue;
    const calendar = dir.calendarFor(a.emailAddress.address);
    const copy = calendar?.byICalUId(event.iCalUId);
    if (calendar && copy) calendar.update(copy, (c) => Object.assign(c, sharedFields(event)));
  }
  sendInvitations(organizer, event, dir);
}

const SHOW_AS: Record<string, StoredEvent['showAs']> = { accepted: 'busy', tentativelyAccepted: 'tentative', declined: 'free' };

export function respond(
  calendar: CalendarStore,
  event: StoredEvent,
  response: Extract<ResponseType, 'accepted' | 'declined' | 'tentativelyAccepted'>,
  sendResponse: boolean,
  dir: CalendarDirectory,
): void {
  const now = calendar.owner.now();
  calendar.update(event, (e) => {
    e.responseStatus = { response, time: now };
    e.showAs = SHOW_AS[response]!;
  });
  if (!sendResponse) return;
  const organizerCalendar = dir.calendarFor(event.organizer.emailAddress.address);
  const original = organizerCalendar?.byICalUId(event.iCalUId);
  if (!organizerCalendar || !original) return;
  const self = calendar.identity().emailAddress.address;
  organizerCalendar.update(original, (e) => {
    for (const a of e.attendees) if (same(a.emailAddress.address, self)) a.status = { response, time: now };
  });
}

/** The organizer cancels: attendees' copies are marked cancelled, the organizer's event goes. */
export function cancelMeeting(organizer: CalendarStore, event: StoredEvent, dir: CalendarDirectory): void {
  const self = organizer.identity().emailAddress.address;
  for (const a of event.attendees) {
    if (same(a.emailAddress.address, self)) continue;
    const calendar = dir.calendarFor(a.emailAddress.address);
    const copy = calendar?.byICalUId(event.iCalUId);
    if (!calendar || !copy || copy.isCancelled) continue;
    calendar.update(copy, (c) => {
      c.isCancelled = true;
      c.subject = `Canceled: ${c.subject}`;
    });
  }
  organizer.remove(event);
}
