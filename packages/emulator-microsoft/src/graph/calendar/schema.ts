/** Query schemas of calendars and events. */
import { ITEM_BODY, RECIPIENT } from '../mail/schema.ts';
import { OutlookErrors } from '../outlook-errors.ts';
import { T, type EntitySchema } from '../odata/schema.ts';

const dateTimeTimeZone = T.complex('microsoft.graph.dateTimeTimeZone', { dateTime: T.datetime, timeZone: T.string });
const location = T.complex('microsoft.graph.location', { displayName: T.string, locationType: T.string, uniqueId: T.string, uniqueIdType: T.string });
const responseStatus = T.complex('microsoft.graph.responseStatus', { response: T.enum('microsoft.graph.responseType'), time: T.datetime });
const attendee = T.complex('microsoft.graph.attendee', {
  type: T.enum('microsoft.graph.attendeeType'),
  status: responseStatus,
  emailAddress: T.complex('microsoft.graph.emailAddress', { name: T.string, address: T.string }),
});

export const EVENT_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.event',
  unknownProperty: OutlookErrors.unknownProperty('Event'),
  props: {
    id: T.string,
    createdDateTime: T.datetime,
    lastModifiedDateTime: T.datetime,
    changeKey: T.string,
    categories: T.collection(T.string),
    transactionId: T.string,
    originalStartTimeZone: T.string,
    originalEndTimeZone: T.string,
    iCalUId: T.string,
    uid: T.string,
    reminderMinutesBeforeStart: T.number,
    isReminderOn: T.boolean,
    hasAttachments: T.boolean,
    subject: T.string,
    bodyPreview: T.string,
    importance: T.enum('microsoft.graph.importance'),
    sensitivity: T.enum('microsoft.graph.sensitivity'),
    isAllDay: T.boolean,
    isCancelled: T.boolean,
    isOrganizer: T.boolean,
    responseRequested: T.boolean,
    seriesMasterId: T.string,
    showAs: T.enum('microsoft.graph.freeBusyStatus'),
    type: T.enum('microsoft.graph.eventType'),
    webLink: T.string,
    onlineMeetingUrl: T.string,
    isOnlineMeeting: T.boolean,
    onlineMeetingProvider: T.enum('microsoft.graph.onlineMeetingProviderType'),
    allowNewTimeProposals: T.boolean,
    isDraft: T.boolean,
    hideAttendees: T.boolean,
    responseStatus,
    body: ITEM_BODY,
    start: dateTimeTimeZone,
    end: dateTimeTimeZone,
    location,
    locations: T.collection(location),
    recurrence: T.open,
    attendees: T.collection(attendee),
    organizer: RECIPIENT,
    onlineMeeting: T.complex('microsoft.graph.onlineMeetingInfo', { joinUrl: T.string }),
  },
};

export const CALENDAR_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.calendar',
  unknownProperty: OutlookErrors.unknownProperty('Calendar'),
  props: {
    id: T.string,
    name: T.string,
    color: T.string,
    hexColor: T.string,
    isDefaultCalendar: T.boolean,
    changeKey: T.string,
    canShare: T.boolean,
    canViewPrivateItems: T.boolean,
    canEdit: T.boolean,
    allowedOnlineMeetingProviders: T.collection(T.string),
    defaultOnlineMeetingProvider: T.string,
    isTallyingResponses: T.boolean,
    isRemovable: T.boolean,
    owner: T.complex('microsoft.graph.emailAddress', { name: T.string, address: T.string }),
  },
};
