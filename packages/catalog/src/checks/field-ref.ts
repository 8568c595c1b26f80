// Enum settings that a connection field may supply instead of a constant, e.g. "in": "{placement}":
// the field must be a select whose every option is a value the setting accepts.
import type { FieldDefinition } from '../types.ts';
import type { Checks } from './context.ts';

const REF = /^\{(connection\.)?([a-z][a-zA-Z0-9]*)\}$/;

/**
 * Checks a setting that may be a field reference. `inTrigger` selects the namespace rule: connection-level
 * blocks write {key}, trigger blocks write {connection.key}.
 */
export function checkFieldRef(
  c: Checks,
  value: string | undefined,
  path: string,
  allowed: readonly string[],
  lookup: (key: string) => FieldDefinition | undefined,
  inTrigger: boolean,
): void {
  const match = value === undefined ? null : REF.exec(value);
  if (!match) return;
  const key = match[2] ?? '';
  if (inTrigger !== (match[1] !== undefined)) {
    c.fail(path, 'field-ref', inTrigger ? `write {connection.${key}} in triggers` : `write {${key}} here, without "connection."`);
    return;
  }
  const field = lookup(key);
  if (!field) {
    c.fail(path, 'field-ref', `"${key}" is not a connection field${inTrigger ? ' of every auth type' : ''}`);
  } else if (field.type !== 'select' || !field.options) {
    c.fail(path, 'field-ref', `"${key}" must be a select field with options`);
  } else {
    const bad = field.options.map((o) => o.value).filter((v) => !allowed.includes(v));
    if (bad.length) c.fail(path, 'field-ref', `field "${key}" offers ${bad.join(', ')}, which this setting does not accept (${allowed.join(', ')})`);
  }
}
