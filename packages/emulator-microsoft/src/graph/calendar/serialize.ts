/**
 * Calendar records → Graph JSON (property order as in Graph's event samples). Start and end are
 * in UTC unless `Prefer: outlook.timezone` names a zone (reference doc, "Calendar"); the
 * response then says so in Preference-Applied. Occurrences of a series carry seriesMasterId.
 */
import type { CalendarStore } from '../../data/calendar/calendar-store.ts';
import type { StoredCalendar, StoredEvent } from '../../data/calendar/model.ts';
import { ianaZone, utcToWallTime } from '../../data/calendar/time-zones.ts';
import { changeKey } from '../../data/ids.ts';
import type { GraphCall } from '../call.ts';
import { isoSeconds, NEVER } from '../format.ts';
import { bodyAs, bodyPreview } from '../mail/body.ts';
import { bodyPreference, etag } from '../mail/serialize.ts';

export interface EventView {
  timeZone: string;
  bodyType: 'text' | 'html';
}

export function eventView(call: GraphCall): EventView {
  const wanted = call.prefer.get('outlook.timezone');
  let timeZone = 'UTC';
  if (wanted && ianaZone(wanted)) {
    timeZone = wanted;
    call.apply(`outlook.timezone="${wanted}"`);
  }
  return { timeZone, bodyType: bodyPreference(call) };
}

export interface Occurrence {
  id: string;
  seriesMasterId: string;
  startMs: number;
  endMs: number;
}

export function eventJson(call: Pick<GraphCall, 'l'>, e: StoredEvent, view: EventView, occurrence?: Occurrence): Record<string, unknown> {
  const startMs = occurrence?.startMs ?? e.startMs;
  const endMs = occurrence?.endMs ?? e.endMs;
  const id = occurrence?.id ?? e.id;
  return {
    '@odata.etag': etag(e.id, e.version),
    id,
    createdDateTime: isoSeconds(e.createdAt),
    lastModifiedDateTime: isoSeconds(e.modifiedAt),
    changeKey: changeKey(e.id, e.version),
    categories: [...e.categories],
    transactionId: e.transactionId,
    originalStartTimeZone: e.start.timeZone,
    originalEndTimeZone: e.end.timeZone,
    iCalUId: e.iCalUId,
    uid: e.iCalUId,
    reminderMinutesBeforeStart: e.reminderMinutesBeforeStart,
    isReminderOn: e.isReminderOn,
    hasAttachments: false,
    subject: e.subject,
    bodyPreview: bodyPreview(e.body),
    importance: e.importance,
    sensitivity: e.sensitivity,
    isAllDay: e.isAllDay,
    isCancelled: e.isCancelled,
    isOrganizer: e.isOrganizer,
    responseRequested: e.responseRequested,
    seriesMasterId: occurrence ? occurrence.seriesMasterId : null,
    showAs: e.showAs,
    type: occurrence ? 'occurrence' : e.recurrence ? 'seriesMaster' : 'singleInstance',
    webLink: `${call.l.def.outlookWeb}/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: e.isOnlineMeeting,
    onlineMeetingProvider: e.onlineMeetingProvider,
    allowNewTimeProposals: e.allowNewTimeProposals,
    occurrenceId: null,
    isDraft: false,
    hideAttendees: false,
    responseStatus: { response: e.responseStatus.response, time: e.responseStatus.time === null ? NEVER : isoSeconds(e.responseStatus.time) },
    body: bodyAs(e.body, view.bodyType),
    start: { dateTime: utcToWallTime(startMs, view.timeZone), timeZone: view.timeZone },
    end: { dateTime: utcToWallTime(endMs, view.timeZone), timeZone: view.timeZone },
    location: structuredClone(e.location),
    locations: structuredClone(e.locations),
    recurrence: occurrence ? null : structuredClone(e.recurrence),
    attendees: e.attendees.map((a) => ({ type: a.type, status: { response: a.status.response, time: a.status.time === null ? NEVER : isoSeconds(a.status.time) }, emailAddress: { ...a.emailAddress } })),
    organizer: structuredClone(e.organizer),
    onlineMeeting: e.onlineMeeting ? { ...e.onlineMeeting } : null,
  };
}

export function calendarJson(store: CalendarStore, c: StoredCalendar): Record<string, unknown> {
  const owner = store.identity().emailAddress;
  return {
    '@odata.etag': etag(c.id, c.version),
    id: c.id,
    name: c.name,
    color: c.color,
    hexColor: '',
    isDefaultCalendar: c.isDefaultCalendar,
    changeKey: changeKey(c.id, c.version),
    canShare: true,
    canViewPrivateItems: true,
    canEdit: true,
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    isTallyingResponses: true,
    isRemovable: !c.isDefaultCalendar,
    owner: { name: owner.name, address: owner.address },
  };
}
