import type { FilterFieldDefinition } from '@switchboard/catalog/types';
import type { FilterCondition, FilterGroup, FilterNode, FilterOp } from '@switchboard/sdk';

/**
 * The trigger filter builder: conditions on the fields a trigger declares (its filterFields,
 * or any other record path), combined with all (and) or any (or). It produces the API's
 * structured filter ({ all | any: [{ field, op, value }] }), which the server compiles to
 * JMESPath; describeFilter reads one back in words for the trigger's page.
 */

export type { FilterCondition, FilterGroup, FilterNode, FilterOp };
/** The operators offered: the API's, with exists split into "is present" and "is absent". */
type UiOp = Exclude<FilterOp, 'exists'> | 'present' | 'absent';
type FieldType = FilterFieldDefinition['type'] | 'other';


export interface ConditionDraft {
  /** A filter field's path, or OTHER (then `path` holds what the person typed). */
  field: string;
  path: string;
  op: UiOp;
  value: string;
}

export interface FilterDraft {
  combine: 'all' | 'any';
  conditions: ConditionDraft[];
}

export const OTHER = '__other__';
export const EMPTY_FILTER: FilterDraft = { combine: 'all', conditions: [] };

const OP_LABELS: Record<UiOp, string> = {
  eq: 'equals',
  ne: 'does not equal',
  contains: 'contains',
  startsWith: 'starts with',
  in: 'is one of',
  gt: 'is greater than',
  ge: 'is at least',
  lt: 'is less than',
  le: 'is at most',
  present: 'is present',
  absent: 'is absent',
};

const OPS_BY_TYPE: Record<FieldType, UiOp[]> = {
  string: ['eq', 'ne', 'contains', 'startsWith', 'in', 'present', 'absent'],
  number: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in', 'present', 'absent'],
  boolean: ['eq', 'present', 'absent'],
  // JMESPath orders numbers only: dates compare as text (equals, starts with "2025-06").
  datetime: ['startsWith', 'eq', 'ne', 'present', 'absent'],
  other: ['eq', 'ne', 'contains', 'startsWith', 'in', 'gt', 'ge', 'lt', 'le', 'present', 'absent'],
};

function fieldOf(fields: FilterFieldDefinition[], c: Pick<ConditionDraft, 'field'>): FilterFieldDefinition | undefined {
  return c.field === OTHER ? undefined : fields.find((f) => f.path === c.field);
}

function typeOf(fields: FilterFieldDefinition[], c: Pick<ConditionDraft, 'field'>): FieldType {
  return fieldOf(fields, c)?.type ?? 'other';
}

function newCondition(fields: FilterFieldDefinition[]): ConditionDraft {
  const first = fields[0];
  if (!first) return { field: OTHER, path: '', op: 'eq', value: '' };
  return { field: first.path, path: '', op: OPS_BY_TYPE[first.type][0]!, value: first.type === 'boolean' ? 'true' : first.options?.[0] ? String(first.options[0].value) : '' };
}

const needsValue = (op: UiOp) => op !== 'present' && op !== 'absent';

/** The API's filter for a draft (null: every event), or the first condition that is not complete. */
export function buildFilter(draft: FilterDraft, fields: FilterFieldDefinition[]): { filter: FilterGroup | null } | { invalid: number; message: string } {
  if (draft.conditions.length === 0) return { filter: null };
  const conditions: FilterCondition[] = [];
  for (const [i, c] of draft.conditions.entries()) {
    const field = c.field === OTHER ? c.path.trim() : c.field;
    const n = i + 1;
    if (!field) return { invalid: i, message: `Condition ${n}: name the record field, e.g. subject or from.emailAddress.address.` };
    if (c.op === 'present' || c.op === 'absent') {
      conditions.push({ field, op: 'exists', value: c.op === 'present' });
      continue;
    }
    const type = typeOf(fields, c);
    const text = c.value.trim();
    if (text === '') return { invalid: i, message: `Condition ${n}: give a value to compare with.` };
    const numeric = type === 'number' || ((c.op === 'gt' || c.op === 'ge' || c.op === 'lt' || c.op === 'le') && type === 'other');
    const scalar = (raw: string): unknown | undefined => {
      if (type === 'boolean') return raw === 'true';
      if (numeric) {
        const value = Number(raw);
        return raw !== '' && Number.isFinite(value) ? value : undefined;
      }
      return raw;
    };
    if (c.op === 'in') {
      const values = text.split(',').map((s) => s.trim()).filter(Boolean).map(scalar);
      if (values.length === 0 || values.some((v) => v === undefined)) return { invalid: i, message: `Condition ${n}: list the values, separated by commas${numeric ? ' (numbers)' : ''}.` };
      conditions.push({ field, op: 'in', value: values });
      continue;
    }
    const value = scalar(text);
    if (value === undefined) return { invalid: i, message: `Condition ${n}: ${OP_LABELS[c.op]} compares numbers: give a number.` };
    conditions.push({ field, op: c.op, value });
  }
  return { filter: draft.combine === 'all' ? { all: conditions } : { any: conditions } };
}

/**
 * The draft a stored builder filter came from, to edit it again; null when the builder cannot
 * show it (groups inside groups): then it is edited as its JMESPath.
 */
export function draftOf(node: unknown, fields: FilterFieldDefinition[]): FilterDraft | null {
  if (!node || typeof node !== 'object') return null;
  const combine = 'all' in node ? 'all' : 'any' in node ? 'any' : null;
  const list = combine ? (node as Record<string, unknown>)[combine] : null;
  if (!combine || !Array.isArray(list)) return null;
  const conditions: ConditionDraft[] = [];
  for (const item of list as FilterNode[]) {
    if (!item || typeof item !== 'object' || !('field' in item)) return null;
    const known = fields.some((f) => f.path === item.field);
    const field = known ? item.field : OTHER;
    const path = known ? '' : item.field;
    if (item.op === 'exists') conditions.push({ field, path, op: item.value === false ? 'absent' : 'present', value: '' });
    else if (item.op === 'in') conditions.push({ field, path, op: 'in', value: Array.isArray(item.value) ? item.value.map(String).join(', ') : String(item.value ?? '') });
    else conditions.push({ field, path, op: item.op, value: String(item.value ?? '') });
  }
  return { combine, conditions };
}

/** Edits a filter draft: one row per condition (field, operator, value), and whether all or any must hold. */
export function FilterBuilder({ fields, draft, onChange, invalid }: { fields: FilterFieldDefinition[]; draft: FilterDraft; onChange: (draft: FilterDraft) => void; invalid?: number | undefined }) {
  const update = (i: number, patch: Partial<ConditionDraft>) => {
    const conditions = draft.conditions.map((c, j) => {
      if (j !== i) return c;
      const next = { ...c, ...patch };
      if (patch.field !== undefined && patch.field !== c.field) {
        // Another field: its first operator and a value of its kind.
        const f = fieldOf(fields, next);
        next.op = OPS_BY_TYPE[f?.type ?? 'other'][0]!;
        next.value = f?.type === 'boolean' ? 'true' : f?.options?.[0] ? String(f.options[0].value) : '';
      }
      return next;
    });
    onChange({ ...draft, conditions });
  };
  return (
    <div className="stack" style={{ marginTop: '.3rem', gap: '.6rem' }}>
      {draft.conditions.length === 0 && <p className="muted small">Every event is delivered. Add a condition to deliver only the events that match.</p>}
      {draft.conditions.length > 1 && (
        <label className="checkbox">
          <span>Deliver an event when</span>
          <select aria-label="Combine conditions" value={draft.combine} onChange={(e) => onChange({ ...draft, combine: e.target.value as 'all' | 'any' })}>
            <option value="all">all conditions match</option>
            <option value="any">any condition matches</option>
          </select>
        </label>
      )}
      {draft.conditions.map((c, i) => {
        const n = i + 1;
        const field = fieldOf(fields, c);
        const type = typeOf(fields, c);
        const ops = OPS_BY_TYPE[type];
        const bad = invalid === i;
        let value;
        if (!needsValue(c.op)) value = null;
        else if (type === 'boolean') {
          value = (
            <select aria-label={`Condition ${n} value`} value={c.value} onChange={(e) => update(i, { value: e.target.value })}>
              <option value="true">Yes</option>
              <option value="false">No</option>
            </select>
          );
        } else if (field?.options && (c.op === 'eq' || c.op === 'ne')) {
          value = (
            <select aria-label={`Condition ${n} value`} value={c.value} onChange={(e) => update(i, { value: e.target.value })}>
              {field.options.map((o) => (
                <option key={String(o.value)} value={String(o.value)}>
                  {o.label}
                </option>
              ))}
            </select>
          );
        } else {
          value = (
            <input
              aria-label={`Condition ${n} value`}
              aria-invalid={bad || undefined}
              className="grow"
              spellCheck={false}
              type={type === 'number' && c.op !== 'in' ? 'number' : 'text'}
              placeholder={c.op === 'in' ? 'a, b, c' : type === 'datetime' ? '2025-06-30' : undefined}
              value={c.value}
              onChange={(e) => update(i, { value: e.target.value })}
            />
          );
        }
        return (
          <div key={i} className="row" role="group" aria-label={`Condition ${n}`}>
            <select aria-label={`Condition ${n} field`} value={c.field} onChange={(e) => update(i, { field: e.target.value })}>
              {fields.map((f) => (
                <option key={f.path} value={f.path}>
                  {f.label}
                </option>
              ))}
              <option value={OTHER}>Other field…</option>
            </select>
            {c.field === OTHER && (
              <input aria-label={`Condition ${n} field path`} aria-invalid={(bad && !c.path.trim()) || undefined} placeholder="from.emailAddress.address" spellCheck={false} value={c.path} onChange={(e) => update(i, { path: e.target.value })} />
            )}
            <select aria-label={`Condition ${n} operator`} value={c.op} onChange={(e) => update(i, { op: e.target.value as UiOp })}>
              {ops.map((op) => (
                <option key={op} value={op}>
                  {OP_LABELS[op]}
                </option>
              ))}
            </select>
            {value}
            <button type="button" className="link-button" aria-label={`Remove condition ${n}`} onClick={() => onChange({ ...draft, conditions: draft.conditions.filter((_, j) => j !== i) })}>
              Remove
            </button>
          </div>
        );
      })}
      <div>
        <button type="button" onClick={() => onChange({ ...draft, conditions: [...draft.conditions, newCondition(fields)] })}>
          Add condition
        </button>
      </div>
    </div>
  );
}

/** A stored builder filter in words: `From (address) equals "megan@contoso.com"`, joined by and/or. */
export function describeFilter(node: unknown, fields: FilterFieldDefinition[], nested = false): string {
  if (!node || typeof node !== 'object') return '';
  if ('all' in node || 'any' in node) {
    const all = 'all' in node;
    const items = ((all ? (node as { all: unknown[] }).all : (node as { any: unknown[] }).any) ?? []).map((n) => describeFilter(n, fields, true));
    const joined = items.join(all ? ' and ' : ' or ');
    return nested && items.length > 1 ? `(${joined})` : joined;
  }
  const c = node as FilterCondition;
  const label = fields.find((f) => f.path === c.field || f.path === `/${c.field.replace(/\./g, '/')}`)?.label ?? c.field;
  if (c.op === 'exists') return `${label} ${c.value === false ? 'is absent' : 'is present'}`;
  const shown = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));
  const value = c.op === 'in' && Array.isArray(c.value) ? c.value.map(shown).join(', ') : shown(c.value);
  return `${label} ${OP_LABELS[c.op as UiOp] ?? c.op} ${value}`;
}

/** A record's value at a filter field's JSON Pointer (for showing an event's fields). */
export function valueAt(record: unknown, pointer: string): unknown {
  let value: unknown = record;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
