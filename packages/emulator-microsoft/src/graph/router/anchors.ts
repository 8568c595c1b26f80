/**
 * The addressing prefixes Graph shares between resources, folded into single tokens so routes
 * can be written once for every way of reaching them:
 *   {user}  = /me | /users/{id | userPrincipalName}
 *   {drive} = {user}/drive | /drives/{id} | {site}/drive | {user|site}/drives/{id}
 *   {item}  = {drive}/root[:/path:] | {drive}/items/{id}[:/path:]
 *   {site}  = /sites/root | /sites/{id} | /sites/{hostname}:/{path}:
 */
import type { Segment } from './path.ts';

export type UserAnchor = { kind: 'user'; me: true } | { kind: 'user'; me: false; ref: string };
export type DriveAnchor =
  | { kind: 'drive'; of: 'user'; user: UserAnchor }
  | { kind: 'drive'; of: 'site'; site: SiteAnchor }
  | { kind: 'drive'; of: 'id'; id: string };
export interface ItemAnchor {
  kind: 'item';
  /** Undefined means the drive's root. */
  id?: string;
  /** Path addressing relative to the item (empty = the item itself). */
  path: string[];
}
export type SiteAnchor =
  | { kind: 'site'; ref: 'root' }
  | { kind: 'site'; ref: 'id'; id: string }
  | { kind: 'site'; ref: 'path'; hostname: string; path: string[] };

export type Anchor = UserAnchor | DriveAnchor | ItemAnchor | SiteAnchor;
export type Token = Anchor | { kind: 'segment'; segment: Segment };

const lower = (s: Segment | undefined) => s?.name.toLowerCase();

function siteAnchor(key: Segment): SiteAnchor {
  if (key.path) return { kind: 'site', ref: 'path', hostname: key.name, path: key.path };
  if (key.name.toLowerCase() === 'root') return { kind: 'site', ref: 'root' };
  return { kind: 'site', ref: 'id', id: key.name };
}

/** Folds the anchors; everything else stays a plain segment token. */
export function tokenize(segments: Segment[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const first = lower(segments[0]);
  const key = segments[1];
  if (first === 'me') {
    tokens.push({ kind: 'user', me: true });
    i = 1;
  } else if (first === 'users' && key && !key.path) {
    tokens.push({ kind: 'user', me: false, ref: key.name });
    i = 2;
  } else if (first === 'drives' && key && !key.path) {
    tokens.push({ kind: 'drive', of: 'id', id: key.name });
    i = 2;
  } else if (first === 'sites' && key) {
    tokens.push(siteAnchor(key));
    i = 2;
  }
  for (; i < segments.length; i++) {
    const seg = segments[i]!;
    const name = seg.name.toLowerCase();
    const last = tokens[tokens.length - 1];
    // The drive anchor replaces the user or site it hangs off (it keeps a reference to it).
    if ((last?.kind === 'user' || last?.kind === 'site') && !seg.path) {
      if (name === 'drive') {
        tokens[tokens.length - 1] = last.kind === 'user' ? { kind: 'drive', of: 'user', user: last } : { kind: 'drive', of: 'site', site: last };
        continue;
      }
      const next = segments[i + 1];
      if (name === 'drives' && next && !next.path) {
        tokens[tokens.length - 1] = { kind: 'drive', of: 'id', id: next.name };
        i++;
        continue;
      }
    }
    if (last?.kind === 'drive') {
      if (name === 'root') {
        tokens.push({ kind: 'item', path: seg.path ?? [] });
        continue;
      }
      const next = segments[i + 1];
      if (name === 'items' && !seg.path && next) {
        tokens.push({ kind: 'item', id: next.name, path: next.path ?? [] });
        i++;
        continue;
      }
    }
    tokens.push({ kind: 'segment', segment: seg });
  }
  return tokens;
}

/** How a token reads in an error message ("Resource not found for the segment '...'"). */
export function tokenLabel(t: Token): string {
  switch (t.kind) {
    case 'segment':
      return t.segment.name;
    case 'user':
      return t.me ? 'me' : t.ref;
    case 'drive':
      return 'drive';
    case 'item':
      return t.id ?? 'root';
    case 'site':
      return 'sites';
  }
}
