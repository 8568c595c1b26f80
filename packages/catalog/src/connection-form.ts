// The executable meaning of field definitions: the effective form of an auth type (with options
// derived from environments and scopes) and the server-side check of submitted connection values.
import { scopesOf } from './definition.ts';
import type { AuthTypeDefinition, Condition, ConnectorDefinition, FieldDefinition, JsonValue } from './types.ts';

/**
 * The form of an auth type: connector-level fields, then the auth type's own. The environment field
 * gets its options and default from environments; a multiselect scope field gets options, default
 * and locked values from the scopes block.
 */
export function connectionFields(def: ConnectorDefinition, auth: AuthTypeDefinition): FieldDefinition[] {
  const env = def.environments;
  const scopes = scopesOf(auth);
  return [...(def.fields ?? []), ...(auth.fields ?? [])].map((field) => {
    if (env && field.key === env.field) {
      return {
        ...field,
        options: env.options.map((o) => ({ value: o.key, label: o.label, ...(o.description ? { description: o.description } : {}) })),
        default: env.default,
      };
    }
    if (scopes && field.key === scopes.field && field.type === 'multiselect') {
      return {
        ...field,
        options: (scopes.available ?? []).map((s) => ({ value: s.value, label: s.label ?? s.value, ...(s.description ? { description: s.description } : {}) })),
        default: [...(scopes.default ?? [])],
        locked: [...(scopes.required ?? [])],
      };
    }
    return field;
  });
}

export function conditionHolds(condition: Condition, values: Readonly<Record<string, unknown>>): boolean {
  const value = values[condition.field];
  if ('equals' in condition) return value === condition.equals;
  if ('in' in condition) return condition.in.some((v) => v === value);
  return value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Applies defaults and locked values and checks submitted connection values against the form.
 * Hidden fields (visibleWhen false) are dropped. Values come back only when there are no problems.
 */
export function resolveConnectionValues(
  def: ConnectorDefinition,
  auth: AuthTypeDefinition,
  input: Readonly<Record<string, unknown>>,
): { values: Record<string, JsonValue>; problems: FieldProblem[] } {
  const fields = connectionFields(def, auth);
  const problems: FieldProblem[] = [];
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(input)) if (!known.has(key)) problems.push({ field: key, message: `unknown field "${key}"` });

  // Visibility is judged on the values the user would see: their input, else defaults.
  const shown: Record<string, unknown> = {};
  for (const f of fields) shown[f.key] = isEmpty(input[f.key]) ? f.default : input[f.key];

  const values: Record<string, JsonValue> = {};
  for (const field of fields) {
    if (field.visibleWhen && !conditionHolds(field.visibleWhen, shown)) continue;
    const raw = isEmpty(input[field.key]) ? field.default : input[field.key];
    if (isEmpty(raw)) {
      if (field.required) problems.push({ field: field.key, message: `${field.label} is required` });
      continue;
    }
    const checked = checkValue(field, raw);
    if (typeof checked === 'string') problems.push({ field: field.key, message: checked });
    else values[field.key] = checked.value;
  }
  return { values: problems.length ? {} : values, problems };
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** The accepted value, or a message saying what is wrong. */
function checkValue(field: FieldDefinition, raw: unknown): { value: JsonValue } | string {
  const label = field.label;
  switch (field.type) {
    case 'json':
      return { value: raw as JsonValue };
    case 'number': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      return typeof n === 'number' && Number.isFinite(n) ? { value: n } : `${label} must be a number`;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : `${label} must be true or false`;
    case 'multiselect': {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) return `${label} must be a list of options`;
      const allowed = new Set(field.options?.map((o) => o.value));
      const unknown = raw.filter((v) => !allowed.has(v));
      if (unknown.length) return `${label}: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not options' : 'is not an option'}`;
      // Locked values are always included, whatever was submitted.
      return { value: [...new Set([...(raw as string[]), ...(field.locked ?? [])])] };
    }
    case 'select':
      if (typeof raw !== 'string' || !field.options?.some((o) => o.value === raw)) {
        return `${label} must be one of ${field.options?.map((o) => o.value).join(', ')}`;
      }
      return { value: raw };
    default: {
      if (typeof raw !== 'string') return `${label} must be text`;
      if (field.type === 'url' && !isHttpUrl(raw)) return `${label} must be an absolute http:// or https:// URL`;
      if (field.pattern && !new RegExp(field.pattern, 'u').test(raw)) return field.patternMessage ?? `${label} is not in the expected format`;
      return { value: raw };
    }
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Scope templates to request: the user's choice in the scope field (a multiselect list, or free text
 * split on spaces and commas), else the defaults; plus every required scope. Render each with the
 * connection scope, then join with the block's separator (default one space).
 */
export function requestedScopes(auth: AuthTypeDefinition, values: Readonly<Record<string, unknown>>): string[] {
  const scopes = scopesOf(auth);
  if (!scopes) return [];
  const chosen = scopes.field === undefined ? undefined : values[scopes.field];
  const picked = Array.isArray(chosen)
    ? chosen.filter((v): v is string => typeof v === 'string')
    : typeof chosen === 'string'
      ? chosen.split(/[\s,]+/).filter(Boolean)
      : (scopes.default ?? []);
  return [...new Set([...picked, ...(scopes.required ?? [])])];
}

/**
 * The scope values to send, rendered: short names get the block's prefix (Microsoft national
 * clouds need fully qualified Graph scopes), except unprefixed ones and values already URLs.
 */
export function qualifiedScopes(auth: AuthTypeDefinition, values: Readonly<Record<string, unknown>>, renderText: (template: string) => string): string[] {
  const scopes = scopesOf(auth);
  const prefix = scopes?.prefix === undefined ? '' : renderText(scopes.prefix);
  const plain = new Set(scopes?.unprefixed ?? []);
  const out = requestedScopes(auth, values)
    .map((s) => renderText(s))
    .filter(Boolean)
    .map((s) => (prefix && !plain.has(s) && !s.includes('://') ? prefix + s : s));
  return [...new Set(out)];
}
