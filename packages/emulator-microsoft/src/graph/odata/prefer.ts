/**
 * The Prefer header (RFC 7240) as Graph uses it: `odata.maxpagesize=50`,
 * `outlook.body-content-type="text"`, `outlook.timezone="Pacific Standard Time"`,
 * `HonorNonIndexedQueriesWarningMayFailRandomly`. Several may be sent comma-separated or in
 * repeated headers. Names are case-insensitive; values lose their quotes.
 */

export type Preferences = Map<string, string>;

export function parsePrefer(header: string | string[] | undefined): Preferences {
  const out: Preferences = new Map();
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  // Split on commas outside quotes: time zone names never contain commas, but be safe.
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  for (const part of parts) {
    const token = part.split(';')[0]!.trim();
    if (!token) continue;
    const eq = token.indexOf('=');
    const name = (eq === -1 ? token : token.slice(0, eq)).trim().toLowerCase();
    const value = eq === -1 ? '' : token.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}
