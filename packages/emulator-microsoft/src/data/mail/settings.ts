/**
 * mailboxSettings of a new mailbox, with the values and formats Graph returns for one: UTC time
 * zone, automatic replies off, a Monday–Friday 08:00–17:00 working week.
 */
import type { MailboxSettings } from './model.ts';

/** `2016-03-14T07:00:00.0000000`: Outlook's dateTimeTimeZone format. */
export function outlookDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.0000000`;
}

export function defaultMailboxSettings(archiveFolderId: string, nowMs: number): MailboxSettings {
  // Graph fills the schedule of a never-scheduled mailbox with the current day.
  const day = Math.floor(nowMs / 86_400_000) * 86_400_000;
  return {
    archiveFolder: archiveFolderId,
    timeZone: 'UTC',
    automaticRepliesSetting: {
      status: 'disabled',
      externalAudience: 'all',
      scheduledStartDateTime: { dateTime: outlookDateTime(day), timeZone: 'UTC' },
      scheduledEndDateTime: { dateTime: outlookDateTime(day + 86_400_000), timeZone: 'UTC' },
      internalReplyMessage: '',
      externalReplyMessage: '',
    },
    language: { locale: 'en-US', displayName: 'English (United States)' },
    workingHours: {
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      startTime: '08:00:00.0000000',
      endTime: '17:00:00.0000000',
      timeZone: { name: 'UTC' },
    },
    dateFormat: 'M/d/yyyy',
    timeFormat: 'h:mm tt',
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
    userPurpose: 'user',
  };
}
