/** Timestamp formats Graph uses. */

/** Outlook and most of Graph: `2019-02-04T19:58:18Z` (whole seconds). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** OneDrive and SharePoint keep milliseconds when there are any: `2017-08-07T16:10:17.517Z`. */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** Exchange's "never", e.g. an attendee who has not responded. */
export const NEVER = '0001-01-01T00:00:00Z';

/** The subscription service's instants: seven fraction digits, `2026-11-28T10:00:00.0000000Z`. */
export function isoTicks(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '0000Z');
}
