/**
 * mailboxSettings updates (PATCH semantics: nested objects merge). Shared by Graph's PATCH
 * /mailboxSettings and the admin API, e.g. to switch automatic replies on for a test.
 */
import { InputError, type Json } from '../../input.ts';
import { unsupportedTimeZone } from '../calendar/event-input.ts';
import { ianaZone, wallTimeToUtc } from '../calendar/time-zones.ts';
import { CodedInputError } from '../errors.ts';
import type { MailboxSettings } from './model.ts';

export const SETTINGS_PROPERTIES = ['archiveFolder', 'timeZone', 'automaticRepliesSetting', 'language', 'workingHours', 'dateFormat', 'timeFormat', 'delegateMeetingMessageDeliveryOptions', 'userPurpose'] as const;

const enumError = (v: unknown) => new CodedInputError(`'${String(v)}' is not a valid value`, 'RequestBodyRead', `Requested value '${String(v)}' was not found.`);

function text(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new InputError(`${path} must be a string`);
  return v;
}

function dateTimeTz(v: unknown, path: string): { dateTime: string; timeZone: string } {
  if (typeof v !== 'object' || v === null) throw new InputError(`${path} must be {dateTime, timeZone}`);
  const d = v as Json;
  const dateTime = text(d.dateTime, `${path}.dateTime`);
  const timeZone = typeof d.timeZone === 'string' ? d.timeZone : 'UTC';
  if (!ianaZone(timeZone)) throw unsupportedTimeZone(timeZone);
  if (wallTimeToUtc(dateTime, timeZone) === undefined) throw new InputError(`${path}.dateTime is not a valid date and time`);
  return { dateTime, timeZone };
}

/** Validates a patch and returns the names of the top-level properties it changes. */
export function applySettingsPatch(s: MailboxSettings, patch: Json): string[] {
  const next = structuredClone(s);
  const changed: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('@odata')) continue;
    changed.push(key);
    switch (key) {
      case 'timeZone': {
        const zone = text(value, key);
        if (!ianaZone(zone)) throw unsupportedTimeZone(zone);
        next.timeZone = zone;
        break;
      }
      case 'automaticRepliesSetting': {
        if (typeof value !== 'object' || value === null) throw new InputError(`${key} must be an object`);
        const a = value as Json;
        const target = next.automaticRepliesSetting;
        if (a.status !== undefined) {
          if (!['disabled', 'alwaysEnabled', 'scheduled'].includes(a.status as string)) throw enumError(a.status);
          target.status = a.status as typeof target.status;
        }
        if (a.externalAudience !== undefined) {
          if (!['none', 'contactsOnly', 'all'].includes(a.externalAudience as string)) throw enumError(a.externalAudience);
          target.externalAudience = a.externalAudience as typeof target.externalAudience;
        }
        if (a.scheduledStartDateTime !== undefined) target.scheduledStartDateTime = dateTimeTz(a.scheduledStartDateTime, `${key}.scheduledStartDateTime`);
        if (a.scheduledEndDateTime !== undefined) target.scheduledEndDateTime = dateTimeTz(a.scheduledEndDateTime, `${key}.scheduledEndDateTime`);
        if (a.internalReplyMessage !== undefined) target.internalReplyMessage = text(a.internalReplyMessage, `${key}.internalReplyMessage`);
        if (a.externalReplyMessage !== undefined) target.externalReplyMessage = text(a.externalReplyMessage, `${key}.externalReplyMessage`);
        break;
      }
      case 'language': {
        const l = (value ?? {}) as Json;
        if (l.locale !== undefined) next.language.locale = text(l.locale, 'language.locale');
        if (l.displayName !== undefined) next.language.displayName = text(l.displayName, 'language.displayName');
        break;
      }
      case 'workingHours': {
        const w = (value ?? {}) as Json;
        if (Array.isArray(w.daysOfWeek)) next.workingHours.daysOfWeek = w.daysOfWeek.map(String);
        if (w.startTime !== undefined) next.workingHours.startTime = text(w.startTime, 'workingHours.startTime');
        if (w.endTime !== undefined) next.workingHours.endTime = text(w.endTime, 'workingHours.endTime');
        if (w.timeZone && typeof w.timeZone === 'object') next.workingHours.timeZone = { name: text((w.timeZone as Json).name, 'workingHours.timeZone.name') };
        break;
      }
      case 'dateFormat':
      case 'timeFormat':
      case 'delegateMeetingMessageDeliveryOptions':
      case 'archiveFolder':
      case 'userPurpose':
        next[key] = text(value, key);
        break;
      default:
        throw new CodedInputError(
          `mailboxSettings has no property '${key}'`,
          'RequestBodyRead',
          `The property '${key}' does not exist on type 'Microsoft.OutlookServices.MailboxSettings'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
        );
    }
  }
  Object.assign(s, next);
  return changed;
}
