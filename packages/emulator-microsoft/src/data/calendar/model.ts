/** Calendar records. Start and end keep the zone the client gave (Graph echoes originalStartTimeZone). */
import type { DateTimeTimeZone, Importance, ItemBody, Recipient } from '../mail/model.ts';

export type ResponseType = 'none' | 'organizer' | 'tentativelyAccepted' | 'accepted' | 'declined' | 'notResponded';
export type AttendeeType = 'required' | 'optional' | 'resource';
export type ShowAs = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

export interface ResponseStatus {
  response: ResponseType;
  /** Epoch ms, or null for "never" (Graph prints 0001-01-01T00:00:00Z). */
  time: number | null;
}

export interface StoredAttendee extends Recipient {
  type: AttendeeType;
  status: ResponseStatus;
}

export interface Location {
  displayName: string;
  locationType: string;
  uniqueId?: string;
  uniqueIdType: string;
}

export interface PatternedRecurrence {
  pattern: {
    type: 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';
    interval: number;
    month: number;
    dayOfMonth: number;
    daysOfWeek: string[];
    firstDayOfWeek: string;
    index: string;
  };
  range: {
    type: 'endDate' | 'noEnd' | 'numbered';
    startDate: string;
    endDate: string;
    recurrenceTimeZone: string;
    numberOfOccurrences: number;
  };
}

export interface StoredCalendar {
  id: string;
  name: string;
  color: string;
  isDefaultCalendar: boolean;
  version: number;
}

export interface StoredEvent {
  id: string;
  calendarId: string;
  /** Shared by the organizer's event and every attendee's copy. */
  iCalUId: string;
  createdAt: number;
  modifiedAt: number;
  version: number;
  subject: string;
  body: ItemBody;
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  startMs: number;
  endMs: number;
  isAllDay: boolean;
  location: Location;
  locations: Location[];
  attendees: StoredAttendee[];
  organizer: Recipient;
  isOrganizer: boolean;
  responseStatus: ResponseStatus;
  responseRequested: boolean;
  showAs: ShowAs;
  importance: Importance;
  sensitivity: 'normal' | 'personal' | 'private' | 'confidential';
  categories: string[];
  isCancelled: boolean;
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number;
  isOnlineMeeting: boolean;
  onlineMeetingProvider: 'unknown' | 'teamsForBusiness' | 'skypeForBusiness' | 'skypeForConsumer';
  onlineMeeting: { joinUrl: string } | null;
  allowNewTimeProposals: boolean;
  recurrence: PatternedRecurrence | null;
  transactionId: string | null;
}
