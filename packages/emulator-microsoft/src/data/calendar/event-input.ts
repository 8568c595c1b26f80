/**
 * Event JSON (Graph's event resource) → event fields, for Graph requests and the admin API alike.
 * Only present properties are returned so PATCH can merge. Times must name a zone Outlook knows.
 */
import { InputError, optionalBoolean, optionalNumber, optionalString, stringArray, type Json } from '../../input.ts';
import { CodedInputError } from '../errors.ts';
import type { DateTimeTimeZone, Importance } from '../mail/model.ts';
import { readBody, readRecipients, type ReadOptions } from '../mail/message-input.ts';
import type { AttendeeType, Location, PatternedRecurrence, ShowAs, StoredAttendee, StoredEvent } from './model.ts';
import { ianaZone, wallTimeToUtc } from './time-zones.ts';

export type EventFields = Partial<
  Pick<
    StoredEvent,
    | 'subject'
    | 'body'
    | 'start'
    | 'end'
    | 'startMs'
    | 'endMs'
    | 'isAllDay'
    | 'location'
    | 'locations'
    | 'attendees'
    | 'categories'
    | 'importance'
    | 'sensitivity'
    | 'showAs'
    | 'isReminderOn'
    | 'reminderMinutesBeforeStart'
    | 'isOnlineMeeting'
    | 'onlineMeetingProvider'
    | 'allowNewTimeProposals'
    | 'recurrence'
    | 'responseRequested'
    | 'transactionId'
  >
>;

export const WRITABLE_EVENT_PROPERTIES = [
  'subject',
  'body',
  'start',
  'end',
  'isAllDay',
  'location',
  'locations',
  'attendees',
  'categories',
  'importance',
  'sensitivity',
  'showAs',
  'isReminderOn',
  'reminderMinutesBeforeStart',
  'isOnlineMeeting',
  'onlineMeetingProvider',
  'allowNewTimeProposals',
  'recurrence',
  'responseRequested',
  'transactionId',
  'organizer',
] as const;

/** Outlook's message for a zone it does not know. */
export function unsupportedTimeZone(zone: string): CodedInputError {
  return new CodedInputError(
    `unknown time zone '${zone}'`,
    'TimeZoneNotSupportedException',
    `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zone}'.`,
  );
}

function readDateTime(o: Json, key: string, path: string): { value: DateTimeTimeZone; ms: number } | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null) throw new InputError(`${path}.${key} must be {dateTime, timeZone}`);
  const d = v as Json;
  const dateTime = d.dateTime;
  const timeZone = d.timeZone ?? 'UTC';
  if (typeof dateTime !== 'string' || typeof timeZone !== 'string') throw new InputError(`${path}.${key} must be {dateTime, timeZone}`);
  if (!ianaZone(timeZone)) throw unsupportedTimeZone(timeZone);
  const ms = wallTimeToUtc(dateTime, timeZone);
  if (ms === undefined) throw new InputError(`${path}.${key}.dateTime '${dateTime}' is not a valid date and time`);
  return { value: { dateTime, timeZone }, ms };
}

function readLocation(v: unknown, path: string): Location {
  if (typeof v === 'string') return { displayName: v, locationType: 'default', uniqueId: v, uniqueIdType: 'private' };
  if (typeof v !== 'object' || v === null) throw new InputError(`${path} must be a location object`);
  const l = v as Json;
  const displayName = optionalString(l, 'displayName', path) ?? '';
  return {
    displayName,
    locationType: optionalString(l, 'locationType', path) ?? 'default',
    ...(displayName ? { uniqueId: optionalString(l, 'uniqueId', path) ?? displayName } : {}),
    uniqueIdType: displayName ? 'private' : 'unknown',
  };
}

const ATTENDEE_TYPES: readonly AttendeeType[] = ['required', 'optional', 'resource'];

function readAttendees(o: Json, path: string, opts: ReadOptions): StoredAttendee[] | undefined {
  const v = o.attendees;
  if (v === undefined || v === null) return v === null ? [] : undefined;
  if (!Array.isArray(v)) throw new InputError(`${path}.attendees must be an array`);
  return v.map((a, i) => {
    const p = `${path}.attendees[${i}]`;
    const [recipient] = readRecipients({ r: [a] }, 'r', p, opts)!;
    const type = (typeof a === 'object' && a !== null ? (a as Json).type : undefined) ?? 'required';
    if (!(ATTENDEE_TYPES as readonly unknown[]).includes(type)) throw new InputError(`${p}.type must be required, optional or resource`);
    return { ...recipient!, type: type as AttendeeType, status: { response: 'none', time: null } };
  });
}

function readRecurrence(o: Json, path: string): PatternedRecurrence | null | undefined {
  const v = o.recurrence;
  if (v === undefined || v === null) return v;
  if (typeof v !== 'object') throw new InputError(`${path}.recurrence must be an object`);
  const pattern = ((v as Json).pattern ?? {}) as Json;
  const range = ((v as Json).range ?? {}) as Json;
  const type = pattern.type;
  const types = ['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'];
  if (typeof type !== 'string' || !types.includes(type)) throw new InputError(`${path}.recurrence.pattern.type must be one of ${types.join(', ')}`);
  const rangeType = range.type ?? 'noEnd';
  if (rangeType !== 'endDate' && rangeType !== 'noEnd' && rangeType !== 'numbered') throw new InputError(`${path}.recurrence.range.type must be endDate, noEnd or numbered`);
  if (typeof range.startDate !== 'string') throw new InputError(`${path}.recurrence.range.startDate is required`);
  return {
    pattern: {
      type: type as PatternedRecurrence['pattern']['type'],
      interval: Math.max(1, Number(pattern.interval ?? 1)),
      month: Number(pattern.month ?? 0),
      dayOfMonth: Number(pattern.dayOfMonth ?? 0),
      daysOfWeek: Array.isArray(pattern.daysOfWeek) ? pattern.daysOfWeek.map(String) : [],
      firstDayOfWeek: String(pattern.firstDayOfWeek ?? 'sunday'),
      index: String(pattern.index ?? 'first'),
    },
    range: {
      type: rangeType,
      startDate: range.startDate,
      endDate: typeof range.endDate === 'string' ? range.endDate : '0001-01-01',
      recurrenceTimeZone: typeof range.recurrenceTimeZone === 'string' ? range.recurrenceTimeZone : 'UTC',
      numberOfOccurrences: Number(range.numberOfOccurrences ?? 0),
    },
  };
}

function oneOfLower<T extends string>(o: Json, key: string, path: string, allowed: readonly T[]): T | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  const match = allowed.find((a) => typeof v === 'string' && a.toLowerCase() === v.toLowerCase());
  if (!match) throw new CodedInputError(`${path}.${key} must be one of ${allowed.join(', ')}`, 'RequestBodyRead', `Requested value '${String(v)}' was not found.`);
  return match;
}

export function readEventFields(o: Json, path: string, opts: ReadOptions = {}): EventFields {
  const f: EventFields = {};
  const subject = optionalString(o, 'subject', path);
  if (subject !== undefined) f.subject = subject;
  const body = readBody(o, 'body', path, opts);
  if (body) f.body = body;
  const start = readDateTime(o, 'start', path);
  if (start) {
    f.start = start.value;
    f.startMs = start.ms;
  }
  const end = readDateTime(o, 'end', path);
  if (end) {
    f.end = end.value;
    f.endMs = end.ms;
  }
  const isAllDay = optionalBoolean(o, 'isAllDay', path);
  if (isAllDay !== undefined) f.isAllDay = isAllDay;
  if (o.location !== undefined && o.location !== null) f.location = readLocation(o.location, `${path}.location`);
  if (Array.isArray(o.locations)) f.locations = o.locations.map((l, i) => readLocation(l, `${path}.locations[${i}]`));
  const attendees = readAttendees(o, path, opts);
  if (attendees) f.attendees = attendees;
  const categories = stringArray(o, 'categories', path);
  if (categories) f.categories = categories;
  const importance = oneOfLower<Importance>(o, 'importance', path, ['low', 'normal', 'high']);
  if (importance) f.importance = importance;
  const sensitivity = oneOfLower(o, 'sensitivity', path, ['normal', 'personal', 'private', 'confidential'] as const);
  if (sensitivity) f.sensitivity = sensitivity;
  const showAs = oneOfLower<ShowAs>(o, 'showAs', path, ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']);
  if (showAs) f.showAs = showAs;
  for (const key of ['isReminderOn', 'isOnlineMeeting', 'allowNewTimeProposals', 'responseRequested'] as const) {
    const b = optionalBoolean(o, key, path);
    if (b !== undefined) f[key] = b;
  }
  const reminder = optionalNumber(o, 'reminderMinutesBeforeStart', path);
  if (reminder !== undefined) f.reminderMinutesBeforeStart = Math.floor(reminder);
  const provider = oneOfLower(o, 'onlineMeetingProvider', path, ['unknown', 'teamsForBusiness', 'skypeForBusiness', 'skypeForConsumer'] as const);
  if (provider) f.onlineMeetingProvider = provider;
  const recurrence = readRecurrence(o, path);
  if (recurrence !== undefined) f.recurrence = recurrence;
  const transactionId = optionalString(o, 'transactionId', path);
  if (transactionId !== undefined) f.transactionId = transactionId;
  return f;
}
