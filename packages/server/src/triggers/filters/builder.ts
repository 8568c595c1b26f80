import type { FieldError } from '../../problems/problem.ts';

/**
 * The structured filter of the API: conditions on record fields combined with all (and) or
 * any (or), nestable. It compiles to one JMESPath expression, which is what runs; both are
 * stored so the console can show the builder and people can read what it compiled to.
 */
export type FilterOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains' | 'startsWith' | 'in' | 'exists';
export const FILTER_OPS: readonly FilterOp[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'contains', 'startsWith', 'in', 'exists'];

export interface FilterCondition {
  /** A JSON Pointer (/sender/address) or a dotted path (sender.address, headers.x-event). */
  field: string;
  op: FilterOp;
  value?: unknown;
}

export type FilterGroup = { all: FilterNode[] } | { any: FilterNode[] };
export type FilterNode = FilterCondition | FilterGroup;

export class FilterBuildError extends Error {
  override name = 'FilterBuildError';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  }
}

/** Compiles a builder tree to JMESPath; `at` is the JSON Pointer of the tree in the request, for errors. */
export function compileFilter(tree: FilterGroup, at = '/body/filter'): string {
  const errors: FieldError[] = [];
  const expression = group(tree, at, errors);
  if (errors.length) throw new FilterBuildError(errors);
  return expression;
}

function group(node: FilterGroup, at: string, errors: FieldError[]): string {
  const isAll = 'all' in node;
  const items = isAll ? (node as { all: FilterNode[] }).all : (node as { any: FilterNode[] }).any;
  const key = isAll ? 'all' : 'any';
  if (!Array.isArray(items) || items.length === 0) {
    errors.push({ path: `${at}/${key}`, message: 'must list at least one condition', rule: 'minItems' });
    return 'null';
  }
  const parts = items.map((item, i) => {
    const path = `${at}/${key}/${i}`;
    if (item && typeof item === 'object' && ('all' in item || 'any' in item)) return group(item as FilterGroup, path, errors);
    return condition(item as FilterCondition, path, errors);
  });
  if (parts.length === 1) return parts[0]!;
  return parts.map((p) => `(${p})`).join(isAll ? ' && ' : ' || ');
}

function condition(c: FilterCondition, at: string, errors: FieldError[]): string {
  if (!c || typeof c !== 'object' || typeof c.field !== 'string') {
    errors.push({ path: at, message: 'must be a condition { field, op, value } or a group { all | any }', rule: 'condition' });
    return 'null';
  }
  const field = fieldExpression(c.field, `${at}/field`, errors);
  const fail = (message: string, rule: string) => {
    errors.push({ path: `${at}/value`, message, rule });
    return 'null';
  };
  switch (c.op) {
    case 'eq':
      return `${field} == ${literal(c.value ?? null)}`;
    case 'ne':
      return `${field} != ${literal(c.value ?? null)}`;
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      // JMESPath orders numbers only; a comparison with a string is null (never true), so refuse it here.
      if (typeof c.value !== 'number' || !Number.isFinite(c.value)) return fail(`${c.op} compares numbers: give a number`, 'number');
      const op = { gt: '>', ge: '>=', lt: '<', le: '<=' }[c.op];
      return `${field} ${op} ${literal(c.value)}`;
    }
    case 'contains':
      if (c.value === undefined) return fail('contains needs a value', 'required');
      // `|| ''` turns a missing field into an empty string, so the condition is false instead of an error.
      return `contains(${field} || '', ${literal(c.value)})`;
    case 'startsWith':
      if (typeof c.value !== 'string') return fail('startsWith needs a string', 'string');
      return `starts_with(${field} || '', ${literal(c.value)})`;
    case 'in':
      if (!Array.isArray(c.value) || c.value.length === 0) return fail('in needs a non-empty array of values', 'array');
      return `contains(${literal(c.value)}, ${field})`;
    case 'exists':
      if (c.value !== undefined && typeof c.value !== 'boolean') return fail('exists takes true (present) or false (absent)', 'boolean');
      return c.value === false ? `${field} == null` : `${field} != null`;
    default:
      errors.push({ path: `${at}/op`, message: `must be one of ${FILTER_OPS.join(', ')}`, rule: 'enum' });
      return 'null';
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A field path as a JMESPath subexpression: identifiers as they are, other names quoted, array indexes in brackets. */
export function fieldExpression(field: string, at: string, errors: FieldError[]): string {
  const segments = splitField(field);
  if (!segments || segments.length === 0 || segments.some((s) => s === '')) {
    errors.push({ path: at, message: 'must be a JSON Pointer (/a/b) or a dotted path (a.b) naming a record field', rule: 'field' });
    return '@';
  }
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += (out ? '.' : '') + (IDENTIFIER.test(segment) ? segment : JSON.stringify(segment));
  }
  // A path that starts with an index applies to the record itself.
  return out.startsWith('[') ? `@${out}` : out;
}

function splitField(field: string): Array<string | number> | undefined {
  if (field.startsWith('/')) {
    return field
      .slice(1)
      .split('/')
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((token) => (/^(0|[1-9]\d*)$/.test(token) ? Number(token) : token));
  }
  if (field.trim() !== field || field === '') return undefined;
  return field.split('.').map((token) => (/^(0|[1-9]\d*)$/.test(token) ? Number(token) : token));
}

/**
 * A JMESPath literal: strings as raw string literals, non-empty arrays as lists of literals,
 * everything else as a JSON literal in backticks. (Strings never go inside backticks: the
 * library unescapes only the first \` of a JSON literal.)
 */
function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value) && value.length > 0) return `[${value.map(literal).join(', ')}]`;
  return `\`${JSON.stringify(value).replace(/`/g, '\\`')}\``;
}
