/**
 * Graph resource paths → segments. Graph accepts three syntaxes on top of plain `/a/b/c`:
 *   - OData keys: `mailFolders('inbox')` is the same as `mailFolders/inbox`;
 *   - function parameters: `range(address='A1:C3')`, `usedRange(valuesOnly=true)`;
 *   - path addressing for drives and sites: `root:/Folder/File.txt:/content`,
 *     `items/{id}:/name.txt:`, `sites/contoso.sharepoint.com:/sites/Marketing:`.
 * The router only ever sees the unfolded form, so routes are written once.
 */

export interface Segment {
  /** The segment as sent, percent-decoded. */
  name: string;
  /** Named function parameters, e.g. `{ address: 'A1:C3' }`. */
  args?: Record<string, string>;
  /** Path addressing attached to this segment (`root:/a/b:` → `['a', 'b']` on `root`). */
  path?: string[];
}

export class PathSyntaxError extends Error {
  constructor(readonly segment: string) {
    super(`Malformed path segment '${segment}'`);
  }
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new PathSyntaxError(raw);
  }
}

/** `'it''s'` → `it's`; unquoted values (numbers, GUIDs, booleans) are taken as they are. */
function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  return v;
}

/** Splits `a='x,y',b=2` on commas outside quotes. */
function splitArguments(inner: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of inner) {
    if (ch === "'") quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** `name(...)` → one segment with args, or two segments (`name`, key) for an OData key. */
function unfoldCall(text: string): Segment[] {
  const open = text.indexOf('(');
  if (open <= 0 || !text.endsWith(')')) return [{ name: text }];
  const name = text.slice(0, open);
  const parts = splitArguments(text.slice(open + 1, -1));
  if (parts.length === 0) return [{ name }];
  const named = parts.every((p) => /^[A-Za-z_][\w]*\s*=/.test(p));
  if (!named) {
    if (parts.length !== 1) throw new PathSyntaxError(text);
    return [{ name }, { name: unquote(parts[0]!) }];
  }
  const args: Record<string, string> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    args[p.slice(0, eq).trim()] = unquote(p.slice(eq + 1));
  }
  return [{ name, args }];
}

/** Parses the part of a URL path after `/v1.0/` (no query string). */
export function parseGraphPath(rawPath: string): Segment[] {
  // Decode first: some SDKs percent-encode the whole `host:/path:` part, slashes included.
  // Names in Graph paths cannot contain '/', so splitting after decoding loses nothing.
  const raw = rawPath
    .split('/')
    .flatMap((s) => decode(s).split('/'))
    .filter((s) => s !== '');
  const out: Segment[] = [];
  for (let i = 0; i < raw.length; i++) {
    const text = raw[i]!;
    // `root:` opens path addressing; it runs to the next segment ending in ':' or to the end.
    if (text.length > 1 && text.endsWith(':') && !text.includes('(')) {
      const path: string[] = [];
      let j = i + 1;
      for (; j < raw.length; j++) {
        const part = raw[j]!;
        if (part.endsWith(':')) {
          if (part.length > 1) path.push(part.slice(0, -1));
          break;
        }
        path.push(part);
      }
      out.push({ name: text.slice(0, -1), path });
      i = j;
      continue;
    }
    out.push(...unfoldCall(text));
  }
  return out;
}
