/**
 * $orderby: `receivedDateTime desc, subject`. Paths resolve against the schema like $filter's;
 * sorting is stable, strings ignore case, and missing values sort first in ascending order.
 */
import { GraphErrors } from '../errors.ts';
import { findProperty, unknownPropertyError, type EntitySchema, type PropType } from './schema.ts';

export interface OrderTerm {
  names: string[];
  descending: boolean;
  type: PropType;
}

export function parseOrderBy(text: string, schema: EntitySchema): OrderTerm[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((term) => {
      const [path = '', direction = 'asc', ...extra] = term.split(/\s+/);
      const dir = direction.toLowerCase();
      if (extra.length > 0 || (dir !== 'asc' && dir !== 'desc')) throw GraphErrors.invalidOrderBy(`Syntax error at '${term}'.`);
      let type: PropType = { kind: 'complex', name: schema.typeName, props: schema.props };
      const names: string[] = [];
      for (const seg of path.split('/')) {
        if (type.kind === 'open') {
          names.push(seg);
          continue;
        }
        if (type.kind !== 'complex') throw GraphErrors.invalidOrderBy(`The $orderby expression must evaluate to a single value of primitive type.`);
        const found = findProperty(type.props, seg);
        if (!found) throw names.length === 0 ? unknownPropertyError(schema, seg) : GraphErrors.invalidOrderBy(`Could not find a property named '${seg}' on type '${type.name}'.`);
        names.push(found[0]);
        type = found[1];
      }
      if (type.kind === 'complex' || type.kind === 'collection') throw GraphErrors.invalidOrderBy(`The $orderby expression must evaluate to a single value of primitive type.`);
      return { names, descending: dir === 'desc', type };
    });
}

function get(entity: unknown, names: string[]): unknown {
  let v = entity;
  for (const n of names) {
    if (v === null || typeof v !== 'object') return null;
    const obj = v as Record<string, unknown>;
    const key = n in obj ? n : Object.keys(obj).find((k) => k.toLowerCase() === n.toLowerCase());
    v = key === undefined ? null : obj[key];
  }
  return v ?? null;
}

function sortable(v: unknown, t: PropType): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (t.kind === 'datetime' && typeof v === 'string') return Date.parse(/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v) ? `${v}Z` : v);
  if (typeof v === 'string') return v.toLowerCase();
  return v as number | boolean;
}

export function orderComparator(terms: OrderTerm[]): (a: unknown, b: unknown) => number {
  return (a, b) => {
    for (const t of terms) {
      const x = sortable(get(a, t.names), t.type);
      const y = sortable(get(b, t.names), t.type);
      if (x === y) continue;
      const c = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return t.descending ? -c : c;
    }
    return 0;
  };
}
