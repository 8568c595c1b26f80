/**
 * Whether a mailbox's automatic replies apply at an instant: always when `alwaysEnabled`, within
 * the scheduled window when `scheduled` (its times are in their own time zone).
 */
import { wallTimeToUtc } from '../calendar/time-zones.ts';
import type { MailboxSettings } from './model.ts';

export function autoReplyActive(s: MailboxSettings, nowMs: number): boolean {
  const a = s.automaticRepliesSetting;
  if (a.status === 'alwaysEnabled') return true;
  if (a.status !== 'scheduled') return false;
  const start = wallTimeToUtc(a.scheduledStartDateTime.dateTime, a.scheduledStartDateTime.timeZone);
  const end = wallTimeToUtc(a.scheduledEndDateTime.dateTime, a.scheduledEndDateTime.timeZone);
  return start !== undefined && end !== undefined && nowMs >= start && nowMs < end;
}
