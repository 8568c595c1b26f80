/**
 * Occurrences of a recurring event for calendarView. Daily, weekly, absoluteMonthly and
 * absoluteYearly patterns are expanded at the series' wall-clock time in its own zone (so a
 * 09:00 meeting stays at 09:00 across DST); the relative patterns, which need "second Tuesday"
 * arithmetic, yield only the first instance. Exceptions (modified occurrences) are not kept.
 */
import type { StoredEvent } from './model.ts';
import { wallTimeToUtc } from './time-zones.ts';

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DAY_MS = 86_400_000;
/** Guards against patterns that never end and views that span decades. */
const MAX_DAYS_SCANNED = 366 * 10;

export interface Occurrence {
  startMs: number;
  endMs: number;
  /** The date the occurrence falls on (series zone), `YYYY-MM-DD`. */
  date: string;
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function parseDate(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
}

function monthsBetween(a: number, b: number): number {
  const da = new Date(a);
  const db = new Date(b);
  return (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + db.getUTCMonth() - da.getUTCMonth();
}

/** Whether the pattern puts an occurrence on `day` (UTC midnight of a calendar date). */
function onPattern(e: StoredEvent, first: number, day: number): boolean {
  const p = e.recurrence!.pattern;
  const d = new Date(day);
  switch (p.type) {
    case 'daily':
      return Math.round((day - first) / DAY_MS) % p.interval === 0;
    case 'weekly': {
      const weekStart = DAYS.indexOf(p.firstDayOfWeek.toLowerCase());
      const startOfWeek = (ms: number) => ms - (((new Date(ms).getUTCDay() - Math.max(0, weekStart)) % 7) + 7) % 7 * DAY_MS;
      const weeks = Math.round((startOfWeek(day) - startOfWeek(first)) / (7 * DAY_MS));
      const days = p.daysOfWeek.length > 0 ? p.daysOfWeek.map((x) => x.toLowerCase()) : [DAYS[new Date(first).getUTCDay()]!];
      return weeks % p.interval === 0 && days.includes(DAYS[d.getUTCDay()]!);
    }
    case 'absoluteMonthly': {
      const dom = p.dayOfMonth || new Date(first).getUTCDate();
      return monthsBetween(first, day) % p.interval === 0 && d.getUTCDate() === dom;
    }
    case 'absoluteYearly': {
      const month = (p.month || new Date(first).getUTCMonth() + 1) - 1;
      const dom = p.dayOfMonth || new Date(first).getUTCDate();
      return (d.getUTCFullYear() - new Date(first).getUTCFullYear()) % p.interval === 0 && d.getUTCMonth() === month && d.getUTCDate() === dom;
    }
    default:
      return day === first;
  }
}

/** Occurrences of a series master that overlap [viewStart, viewEnd). */
export function expandOccurrences(e: StoredEvent, viewStart: number, viewEnd: number): Occurrence[] {
  const r = e.recurrence;
  if (!r) return [];
  const duration = e.endMs - e.startMs;
  const timeOfDay = e.start.dateTime.slice(10, 19) || 'T00:00:00';
  const first = parseDate(r.range.startDate);
  const last = r.range.type === 'endDate' ? parseDate(r.range.endDate) : Infinity;
  const out: Occurrence[] = [];
  let count = 0;
  for (let day = first, scanned = 0; day <= last && scanned < MAX_DAYS_SCANNED; day += DAY_MS, scanned++) {
    if (!onPattern(e, first, day)) continue;
    count++;
    if (r.range.type === 'numbered' && count > r.range.numberOfOccurrences) break;
    const start = wallTimeToUtc(`${dateOnly(day)}${timeOfDay}`, e.start.timeZone);
    if (start === undefined) continue;
    if (start >= viewEnd) break;
    if (start + duration > viewStart) out.push({ startMs: start, endMs: start + duration, date: dateOnly(day) });
  }
  return out;
}
