/**
 * Outlook time zones. Graph takes and returns `{dateTime, timeZone}` pairs where the zone is a
 * Windows name ("Pacific Standard Time") or an IANA name; `Prefer: outlook.timezone` picks the
 * zone of the response. Conversion uses the runtime's IANA database; the Windows names map to
 * their IANA equivalents (the CLDR "001" territory mapping) for the zones in common use.
 */

const WINDOWS_TO_IANA: Record<string, string> = {
  'utc': 'UTC',
  'coordinated universal time': 'UTC',
  'tzone://microsoft/utc': 'UTC',
  'gmt standard time': 'Europe/London',
  'greenwich standard time': 'Atlantic/Reykjavik',
  'w. europe standard time': 'Europe/Berlin',
  'central europe standard time': 'Europe/Budapest',
  'romance standard time': 'Europe/Paris',
  'central european standard time': 'Europe/Warsaw',
  'e. europe standard time': 'Europe/Chisinau',
  'fle standard time': 'Europe/Kiev',
  'gtb standard time': 'Europe/Bucharest',
  'russian standard time': 'Europe/Moscow',
  'turkey standard time': 'Europe/Istanbul',
  'israel standard time': 'Asia/Jerusalem',
  'egypt standard time': 'Africa/Cairo',
  'south africa standard time': 'Africa/Johannesburg',
  'arabian standard time': 'Asia/Dubai',
  'pakistan standard time': 'Asia/Karachi',
  'india standard time': 'Asia/Kolkata',
  'se asia standard time': 'Asia/Bangkok',
  'china standard time': 'Asia/Shanghai',
  'taipei standard time': 'Asia/Taipei',
  'singapore standard time': 'Asia/Singapore',
  'tokyo standard time': 'Asia/Tokyo',
  'korea standard time': 'Asia/Seoul',
  'w. australia standard time': 'Australia/Perth',
  'cen. australia standard time': 'Australia/Adelaide',
  'e. australia standard time': 'Australia/Brisbane',
  'aus eastern standard time': 'Australia/Sydney',
  'new zealand standard time': 'Pacific/Auckland',
  'hawaiian standard time': 'Pacific/Honolulu',
  'alaskan standard time': 'America/Anchorage',
  'pacific standard time': 'America/Los_Angeles',
  'us mountain standard time': 'America/Phoenix',
  'mountain standard time': 'America/Denver',
  'central standard time': 'America/Chicago',
  'central standard time (mexico)': 'America/Mexico_City',
  'canada central standard time': 'America/Regina',
  'eastern standard time': 'America/New_York',
  'sa pacific standard time': 'America/Bogota',
  'atlantic standard time': 'America/Halifax',
  'e. south america standard time': 'America/Sao_Paulo',
  'argentina standard time': 'America/Argentina/Buenos_Aires',
};

/** The IANA zone for a Windows or IANA name, or undefined when the name is unknown. */
export function ianaZone(name: string): string | undefined {
  const mapped = WINDOWS_TO_IANA[name.trim().toLowerCase()];
  if (mapped) return mapped;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name.trim() }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's wall clock at `ms`, read as if it were UTC. */
function wallClockAsUtc(ms: number, zone: string): number {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) + (ms % 1000);
}

function offsetMs(ms: number, zone: string): number {
  return wallClockAsUtc(ms, zone) - ms;
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

/**
 * A wall time in a zone → epoch ms. A dateTime that carries its own offset (`Z`, `+02:00`) is
 * taken as it is. Undefined for an unknown zone or a malformed dateTime.
 */
export function wallTimeToUtc(dateTime: string, timeZone: string): number | undefined {
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(dateTime)) {
    const ms = Date.parse(dateTime);
    return Number.isFinite(ms) ? ms : undefined;
  }
  const m = WALL_TIME.exec(dateTime);
  const zone = ianaZone(timeZone || 'UTC');
  if (!m || !zone) return undefined;
  const fraction = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), fraction);
  if (!Number.isFinite(asUtc)) return undefined;
  // Two passes settle DST transitions: the offset at the guess may differ from the first one.
  const guess = asUtc - offsetMs(asUtc, zone);
  return asUtc - offsetMs(guess, zone);
}

/** Epoch ms → Outlook's wall-time format in a zone: `2017-04-15T12:00:00.0000000`. */
export function utcToWallTime(ms: number, timeZone: string): string {
  const zone = ianaZone(timeZone) ?? 'UTC';
  return `${new Date(wallClockAsUtc(ms, zone)).toISOString().slice(0, 19)}.0000000`;
}
