import { type AuthTypeDefinition, type ConnectorDefinition, type FieldDefinition, connectionFields, resolveConnectionValues } from '@switchboard/catalog';
import type { FieldError } from '../problems/problem.ts';

export interface CheckedFields {
  /** Non-secret values, stored on the connection row and returned by the API. */
  config: Record<string, unknown>;
  /** Secret values, stored only in the vault. */
  secrets: Record<string, unknown>;
  errors: FieldError[];
}

export function isSecretField(field: FieldDefinition): boolean {
  return field.type === 'secret' || field.secret === true;
}

/**
 * Checks submitted field values with the same definition that draws the form (the catalog's
 * rules: defaults, locked scopes, options, patterns, visibility), and splits the result into
 * what may be shown and what goes to the vault. `previous` (reconnect) supplies values the
 * caller did not resend.
 */
export function checkFields(
  connector: ConnectorDefinition,
  auth: AuthTypeDefinition,
  submitted: Record<string, unknown>,
  previous: Record<string, unknown> = {},
): CheckedFields {
  const given = Object.fromEntries(Object.entries(submitted).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const fields = connectionFields(connector, auth);
  const known = new Set(fields.map((f) => f.key));
  const input = { ...Object.fromEntries(Object.entries(previous).filter(([k]) => known.has(k))), ...given };
  const { values, problems } = resolveConnectionValues(connector, auth, input);
  const errors: FieldError[] = problems.map((p) => ({
    path: `/body/fields/${p.field}`,
    message: known.has(p.field) ? p.message : `${p.message}; ${connector.displayName} with ${auth.type} has the fields ${[...known].join(', ')}`,
    rule: !known.has(p.field) ? 'unknown-field' : /is required$/.test(p.message) ? 'required' : 'invalid',
  }));
  const config: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const field of fields) {
    if (!(field.key in values)) continue;
    (isSecretField(field) ? secrets : config)[field.key] = values[field.key];
  }
  return { config, secrets, errors };
}
