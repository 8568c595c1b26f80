/**
 * Runs a bound $filter against an entity's Graph JSON. String comparisons and string functions
 * ignore case, as Exchange and SharePoint do; date/times compare as instants; a comparison with
 * a missing value is false except `ne` (and `eq null`).
 */
import type { BoundExpr } from './filter-bind.ts';

type Env = Map<string, unknown>;

function walk(start: unknown, names: string[]): unknown {
  let v = start;
  for (const name of names) {
    if (v === null || v === undefined || typeof v !== 'object') return null;
    const obj = v as Record<string, unknown>;
    if (name in obj) {
      v = obj[name];
      continue;
    }
    // Open types (SharePoint fields) keep the column's own spelling.
    const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
    v = key === undefined ? null : obj[key];
  }
  return v ?? null;
}

function isDateTyped(e: BoundExpr): boolean {
  return (e.k === 'path' && e.type.kind === 'datetime') || (e.k === 'literal' && e.type === 'datetime');
}

function value(e: BoundExpr, entity: unknown, env: Env): unknown {
  switch (e.k) {
    case 'literal':
      return e.value;
    case 'path':
      return walk(e.root === null ? entity : env.get(e.root), e.names);
    case 'call': {
      const args = e.args.map((a) => value(a, entity, env));
      const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
      const [a, b] = [s(args[0]), s(args[1])];
      switch (e.fn) {
        case 'contains':
          return a !== null && b !== null && a.toLowerCase().includes(b.toLowerCase());
        case 'startswith':
          return a !== null && b !== null && a.toLowerCase().startsWith(b.toLowerCase());
        case 'endswith':
          return a !== null && b !== null && a.toLowerCase().endsWith(b.toLowerCase());
        case 'tolower':
          return a?.toLowerCase() ?? null;
        case 'toupper':
          return a?.toUpperCase() ?? null;
        case 'trim':
          return a?.trim() ?? null;
        case 'length':
          return a === null ? null : a.length;
      }
      return null;
    }
    default:
      return test(e, entity, env);
  }
}

function comparable(v: unknown, asDate: boolean): unknown {
  if (v === null || v === undefined) return null;
  if (asDate && typeof v === 'string') {
    const ms = Date.parse(/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v) ? `${v}Z` : v);
    return Number.isFinite(ms) ? ms : v;
  }
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function test(e: BoundExpr, entity: unknown, env: Env): boolean {
  switch (e.k) {
    case 'logic':
      return e.op === 'and' ? test(e.left, entity, env) && test(e.right, entity, env) : test(e.left, entity, env) || test(e.right, entity, env);
    case 'not':
      return !test(e.expr, entity, env);
    case 'compare': {
      const asDate = isDateTyped(e.left) || isDateTyped(e.right);
      const a = comparable(value(e.left, entity, env), asDate);
      const b = comparable(value(e.right, entity, env), asDate);
      if (a === null || b === null) {
        if (e.op === 'eq') return a === b;
        if (e.op === 'ne') return a !== b;
        return false;
      }
      switch (e.op) {
        case 'eq':
          return a === b;
        case 'ne':
          return a !== b;
        case 'gt':
          return (a as number) > (b as number);
        case 'ge':
          return (a as number) >= (b as number);
        case 'lt':
          return (a as number) < (b as number);
        case 'le':
          return (a as number) <= (b as number);
      }
      return false;
    }
    case 'lambda': {
      const collection = walk(e.root === null ? entity : env.get(e.root), e.names);
      const items = Array.isArray(collection) ? collection : [];
      if (!e.body || !e.variable) return items.length > 0;
      const run = (item: unknown) => test(e.body!, entity, new Map(env).set(e.variable!, item));
      return e.quantifier === 'any' ? items.some(run) : items.every(run);
    }
    default:
      return value(e, entity, env) === true;
  }
}

export function evaluateFilter(e: BoundExpr, entity: unknown): boolean {
  return test(e, entity, new Map());
}
