/**
 * Route patterns over anchor tokens: `{user}/messages/:messageId/attachments`. Literal segments
 * match case-insensitively (Graph's segment names are case-insensitive), `:name` captures a key,
 * and a literal may carry function arguments (`range(address='A1')` matches `range`).
 * Aliases such as `mailFolders/{id}/messages/{id}` → `messages/{id}` are rewrites, so each
 * resource has one route however deep the URL addressed it.
 */
import type { DriveAnchor, ItemAnchor, SiteAnchor, Token, UserAnchor } from './anchors.ts';
import { tokenLabel } from './anchors.ts';

export interface RouteMatch {
  params: Record<string, string>;
  /** Function arguments by lower-case segment name. */
  args: Record<string, Record<string, string>>;
  user?: UserAnchor;
  drive?: DriveAnchor;
  item?: ItemAnchor;
  site?: SiteAnchor;
}

type PatternPart = { kind: 'anchor'; anchor: 'user' | 'drive' | 'item' | 'site' } | { kind: 'param'; name: string } | { kind: 'literal'; lower: string };

export function compilePattern(pattern: string): PatternPart[] {
  return pattern
    .split('/')
    .filter(Boolean)
    .map((p): PatternPart => {
      const anchor = /^\{(user|drive|item|site)\}$/.exec(p);
      if (anchor) return { kind: 'anchor', anchor: anchor[1] as 'user' };
      if (p.startsWith(':')) return { kind: 'param', name: p.slice(1) };
      return { kind: 'literal', lower: p.toLowerCase() };
    });
}

/** How many leading tokens the pattern matches, filling `into`. */
function matchPrefix(parts: PatternPart[], tokens: Token[], into: RouteMatch): number {
  let n = 0;
  for (; n < parts.length && n < tokens.length; n++) {
    const part = parts[n]!;
    const token = tokens[n]!;
    if (part.kind === 'anchor') {
      if (token.kind !== part.anchor) return n;
      (into as unknown as Record<string, unknown>)[part.anchor] = token;
      continue;
    }
    if (token.kind !== 'segment' || token.segment.path) return n;
    if (part.kind === 'param') {
      if (token.segment.args) return n;
      into.params[part.name] = token.segment.name;
      continue;
    }
    if (token.segment.name.toLowerCase() !== part.lower) return n;
    if (token.segment.args) into.args[part.lower] = token.segment.args;
  }
  return n;
}

function emptyMatch(): RouteMatch {
  return { params: {}, args: {} };
}

export interface Rewrite {
  from: PatternPart[];
  to: PatternPart[];
  /** Keys that are function names rather than ids (`messages/delta`), per parameter, lower-case. */
  unless: Record<string, readonly string[]>;
}

export function rewrite(from: string, to: string, unless: Record<string, readonly string[]> = {}): Rewrite {
  return { from: compilePattern(from), to: compilePattern(to), unless };
}

function excluded(r: Rewrite, m: RouteMatch): boolean {
  return Object.entries(r.unless).some(([name, values]) => values.includes(m.params[name]?.toLowerCase() ?? ''));
}

/** Applies rewrites until none matches; the tail after the matched prefix is kept. */
export function applyRewrites(tokens: Token[], rewrites: readonly Rewrite[]): Token[] {
  let current = tokens;
  for (let guard = 0; guard < 16; guard++) {
    let changed = false;
    for (const r of rewrites) {
      const m = emptyMatch();
      if (current.length < r.from.length || matchPrefix(r.from, current, m) !== r.from.length || excluded(r, m)) continue;
      const replaced: Token[] = r.to.map((part) => {
        if (part.kind === 'anchor') return m[part.anchor]!;
        if (part.kind === 'param') return { kind: 'segment', segment: { name: m.params[part.name]! } };
        return { kind: 'segment', segment: { name: part.lower } };
      });
      current = [...replaced, ...current.slice(r.from.length)];
      changed = true;
    }
    if (!changed) break;
  }
  return current;
}

export interface Route<H> {
  pattern: string;
  methods: Partial<Record<string, H>>;
}

interface CompiledRoute<H> {
  parts: PatternPart[];
  methods: Partial<Record<string, H>>;
}

export type Resolution<H> =
  | { kind: 'match'; handler: H; match: RouteMatch }
  | { kind: 'methodNotAllowed' }
  | { kind: 'notFound'; segment: string };

export class RouteTable<H> {
  private readonly routes: CompiledRoute<H>[] = [];

  add(routes: readonly Route<H>[]): this {
    for (const r of routes) this.routes.push({ parts: compilePattern(r.pattern), methods: r.methods });
    return this;
  }

  /** The first full match in declaration order (declare literal routes before parametric ones). */
  resolve(tokens: Token[], method: string): Resolution<H> {
    let deepest = 0;
    let pathMatched = false;
    for (const route of this.routes) {
      const m = emptyMatch();
      const n = matchPrefix(route.parts, tokens, m);
      deepest = Math.max(deepest, n);
      if (n !== tokens.length || n !== route.parts.length) continue;
      const handler = route.methods[method] ?? (method === 'HEAD' ? route.methods.GET : undefined);
      if (handler) return { kind: 'match', handler, match: m };
      pathMatched = true;
    }
    if (pathMatched) return { kind: 'methodNotAllowed' };
    const offending = tokens[Math.min(deepest, tokens.length - 1)];
    return { kind: 'notFound', segment: offending ? tokenLabel(offending) : '' };
  }
}
