/**
 * Relative times for seeds and admin inputs, resolved against the emulator clock when the data
 * is added, so seeded mail is "two days old" whatever the clock says:
 *   - instants: `now`, `now-2d`, `now+1h30m` (units d, h, m, s);
 *   - wall times for events: `today+1d@10:00` — a calendar day (in the event's time zone,
 *     counted from today) at a time of day.
 * Anything else is left for the normal ISO parsing.
 */
import { ianaZone, utcToWallTime } from '../data/calendar/time-zones.ts';

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

function offset(text: string): number | undefined {
  let total = 0;
  const re = /([+-])(\d+)([dhms])/g;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3]!]!;
    consumed += m[0].length;
  }
  return consumed === text.length ? total : undefined;
}

/** `now±...` → epoch ms; undefined when the string is not relative. */
export function relativeInstant(value: unknown, nowMs: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^now((?:[+-]\d+[dhms])*)$/i.exec(value.trim());
  if (!m) return undefined;
  const delta = offset(m[1]!.toLowerCase());
  return delta === undefined ? undefined : nowMs + delta;
}

/** `today±Nd@HH:MM` (or `now±...`) → Outlook wall time in the zone; undefined when not relative. */
export function relativeWallTime(value: unknown, nowMs: number, timeZone: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const zone = ianaZone(timeZone) ? timeZone : 'UTC';
  const instant = relativeInstant(value, nowMs);
  if (instant !== undefined) return utcToWallTime(instant, zone);
  const m = /^today((?:[+-]\d+d)*)(?:@(\d{1,2}):(\d{2}))?$/i.exec(value.trim());
  if (!m) return undefined;
  const days = offset(m[1]!.toLowerCase()) ?? 0;
  const date = utcToWallTime(nowMs + days, zone).slice(0, 10);
  const hh = (m[2] ?? '0').padStart(2, '0');
  return `${date}T${hh}:${m[3] ?? '00'}:00.0000000`;
}
