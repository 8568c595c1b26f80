import type { JsonSchema } from '@switchboard/catalog';
import type { FieldError } from '../problems/problem.ts';
import { type Condition, type Where, WhereError, fieldSchema, knownFields } from './where.ts';

/** OData identifiers (property names); anything else could change the query, so it is refused. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** OData 4 date and dateTimeOffset literals, written unquoted. */
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

const COMPARISONS: Record<string, string> = { eq: 'eq', ne: 'ne', gt: 'gt', ge: 'ge', lt: 'lt', le: 'le' };
const TEXT_FUNCTIONS: Record<string, string> = { contains: 'contains', startsWith: 'startswith', endsWith: 'endswith' };

/**
 * Compiles a where tree to an OData v4 $filter expression (as Microsoft Graph reads it). String
 * literals are single-quoted with quotes doubled; values of date-time fields (per the record
 * schema) are written as unquoted DateTimeOffset literals; numbers and booleans as they are.
 * Every error is collected with its input path; throws WhereError when there is any.
 */
export function toODataFilter(where: Where, schema: JsonSchema, options: { at?: string; orderBy?: string[] } = {}): string {
  const errors: FieldError[] = [];
  const at = options.at ?? '/input/where';
  const text = 'and' in where && options.orderBy?.length ? sortedConjunction(where.and, options.orderBy, schema, at, errors) : compile(where, schema, at, errors);
  if (errors.length) throw new WhereError(errors);
  return text;
}

/**
 * Outlook refuses a $filter with $orderby unless the sorted properties come first in the
 * filter, in the same order (InefficientFilter). A conjunction means the same in any order, so
 * its conditions on the sorted fields are moved to the front; other filters are left as written.
 */
function sortedConjunction(items: Where[], orderBy: string[], schema: JsonSchema, at: string, errors: FieldError[]): string {
  const rank = (w: Where) => {
    const i = 'field' in w ? orderBy.indexOf(w.field.split(/[./]/).join('/')) : -1;
    return i < 0 ? orderBy.length : i;
  };
  const parts = items.map((w, i) => ({ text: compile(w, schema, `${at}/and/${i}`, errors), rank: rank(w), i }));
  parts.sort((x, y) => x.rank - y.rank || x.i - y.i);
  return parts.length === 1 ? parts[0]!.text : `(${parts.map((p) => p.text).join(' and ')})`;
}

function compile(where: Where, schema: JsonSchema, at: string, errors: FieldError[]): string {
  if ('and' in where) return group(where.and, 'and', schema, `${at}/and`, errors);
  if ('or' in where) return group(where.or, 'or', schema, `${at}/or`, errors);
  if ('not' in where) return `not (${compile(where.not, schema, `${at}/not`, errors)})`;
  return condition(where, schema, at, errors);
}

function group(items: Where[], operator: 'and' | 'or', schema: JsonSchema, at: string, errors: FieldError[]): string {
  const parts = items.map((w, i) => compile(w, schema, `${at}/${i}`, errors));
  return parts.length === 1 ? parts[0]! : `(${parts.join(` ${operator} `)})`;
}

function condition(c: Condition, schema: JsonSchema, at: string, errors: FieldError[]): string {
  const segments = c.field.split(/[./]/);
  const bad = segments.find((s) => !IDENTIFIER.test(s));
  if (bad !== undefined) {
    errors.push({ path: `${at}/field`, message: `"${c.field}" is not a field name (letters, digits and _, nested with dots)`, rule: 'field-name' });
    return '';
  }
  const known = knownFields(schema);
  if (known && !known.includes(segments[0]!)) {
    errors.push({ path: `${at}/field`, message: `"${segments[0]}" is not a field of this record (fields: ${known.join(', ')})`, rule: 'unknown-field' });
    return '';
  }
  const field = segments.join('/');
  const type = fieldSchema(schema, segments);
  const needsValue = c.op !== 'isNull' && c.op !== 'isNotNull';
  if (!needsValue) {
    if (c.value !== undefined) errors.push({ path: `${at}/value`, message: `${c.op} takes no value`, rule: 'no-value' });
    return `${field} ${c.op === 'isNull' ? 'eq' : 'ne'} null`;
  }
  if (c.value === undefined) {
    errors.push({ path: `${at}/value`, message: `${c.op} needs a value`, rule: 'required' });
    return '';
  }
  if (c.op === 'in') {
    if (!Array.isArray(c.value) || c.value.length === 0) {
      errors.push({ path: `${at}/value`, message: 'in needs a non-empty list of values', rule: 'type' });
      return '';
    }
    const options = c.value.map((v, i) => `${field} eq ${literal(v, type, `${at}/value/${i}`, errors)}`);
    return options.length === 1 ? options[0]! : `(${options.join(' or ')})`;
  }
  if (c.op === 'any') {
    const items = type && typeof type.items === 'object' && !Array.isArray(type.items) ? (type.items as JsonSchema) : undefined;
    return `${field}/any(x:x eq ${literal(c.value, items, `${at}/value`, errors)})`;
  }
  if (c.op in TEXT_FUNCTIONS) {
    if (typeof c.value !== 'string') {
      errors.push({ path: `${at}/value`, message: `${c.op} compares text: the value must be a string`, rule: 'type' });
      return '';
    }
    return `${TEXT_FUNCTIONS[c.op]}(${field},${quote(c.value)})`;
  }
  return `${field} ${COMPARISONS[c.op]} ${literal(c.value, type, `${at}/value`, errors)}`;
}

/** An OData literal of a value, typed by the field's schema where it says more than JSON does. */
function literal(value: unknown, type: JsonSchema | undefined, at: string, errors: FieldError[]): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      errors.push({ path: at, message: 'must be a finite number', rule: 'type' });
      return '';
    }
    return String(value);
  }
  if (typeof value === 'string') {
    if (type?.format === 'date-time' || type?.format === 'date') {
      if (!(type.format === 'date' ? DATE : DATE_TIME).test(value)) {
        errors.push({ path: at, message: `must be an ISO 8601 ${type.format === 'date' ? 'date (2024-05-01)' : 'date-time with offset (2024-05-01T09:00:00Z)'}`, rule: 'format' });
        return '';
      }
      return value;
    }
    return quote(value);
  }
  errors.push({ path: at, message: 'must be a string, number, boolean or null', rule: 'type' });
  return '';
}

/** An OData string literal: single quotes, a quote inside doubled. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
