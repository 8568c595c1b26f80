// Connection field checks: unique keys, options/default/locked consistency, patterns that compile.
import type { FieldDefinition } from '../types.ts';
import { isSecret, scopesOf } from '../definition.ts';
import type { Checks, FieldAt } from './context.ts';

type Derived = 'environment' | 'scopes' | undefined;

const STRING_TYPES = new Set(['string', 'secret', 'url', 'text']);

export function checkFields(c: Checks): void {
  const scopeFields = new Set(c.def.auth.map((a) => scopesOf(a)?.field));
  const envField = c.def.environments?.field;
  const connectorDerived = (f: FieldDefinition): Derived =>
    f.key === envField ? 'environment' : scopeFields.has(f.key) && f.type === 'multiselect' ? 'scopes' : undefined;

  checkList(c, c.def.fields ?? [], '/fields', new Map(), c.connectorFields, connectorDerived);

  c.def.auth.forEach((auth, i) => {
    const own = scopesOf(auth)?.field;
    const derived = (f: FieldDefinition): Derived => (f.key === own && f.type === 'multiselect' ? 'scopes' : undefined);
    checkList(c, auth.fields ?? [], `/auth/${i}/fields`, c.connectorFields, c.fieldsOf(auth, i), derived);
    for (const name of Object.keys(auth.variables ?? {})) {
      if (c.fieldsOf(auth, i).has(name)) {
        c.fail(`/auth/${i}/variables/${name}`, 'duplicate-key', `variable "${name}" has the same name as a connection field`);
      }
    }
  });
}

function checkList(
  c: Checks,
  fields: FieldDefinition[],
  base: string,
  outer: ReadonlyMap<string, FieldAt>,
  visible: ReadonlyMap<string, FieldAt>,
  derived: (f: FieldDefinition) => Derived,
): void {
  const seen = new Set<string>();
  fields.forEach((field, j) => {
    const path = `${base}/${j}`;
    if (seen.has(field.key) || outer.has(field.key)) {
      const where = outer.has(field.key) ? `the connector-level field at ${outer.get(field.key)?.path}` : 'another field';
      c.fail(`${path}/key`, 'duplicate-key', `field key "${field.key}" is already used by ${where}`);
    }
    seen.add(field.key);
    checkField(c, field, path, derived(field));
    const when = field.visibleWhen;
    if (when && (when.field === field.key || !visible.has(when.field))) {
      c.fail(`${path}/visibleWhen/field`, 'unknown-field', `"${when.field}" is not another field of the same form`);
    }
  });
}

function checkField(c: Checks, field: FieldDefinition, path: string, derived: Derived): void {
  if (field.type === 'secret' && field.secret === false) {
    c.fail(`${path}/secret`, 'secret-flag', 'a field of type secret is always secret; remove "secret": false');
  }
  if (isSecret(field) && field.default !== undefined) {
    c.fail(`${path}/default`, 'secret-default', 'secret fields cannot have a default: definitions hold no secrets');
  }
  if (field.pattern !== undefined) checkPattern(c, field, path);

  const choice = field.type === 'select' || field.type === 'multiselect';
  if (!choice && field.options) c.fail(`${path}/options`, 'options-type', `options are only for select and multiselect fields, not ${field.type}`);
  if (field.type !== 'multiselect' && field.locked) c.fail(`${path}/locked`, 'locked', 'locked values are only for multiselect fields');

  if (derived) {
    const source = derived === 'environment' ? 'environments' : 'the auth type\'s scopes';
    for (const prop of ['options', 'default', 'locked'] as const) {
      if (field[prop] !== undefined) c.fail(`${path}/${prop}`, 'derived-options', `"${field.key}" takes its ${prop} from ${source}; remove them here`);
    }
    if (derived === 'environment' && field.type !== 'select') c.fail(`${path}/type`, 'field-type', 'the environment field must be a select');
    return;
  }
  if (choice && !field.options) {
    c.fail(path, 'missing-options', `${field.type} field "${field.key}" needs options`);
    return;
  }
  const values = new Set<string>();
  field.options?.forEach((o, k) => {
    if (values.has(o.value)) c.fail(`${path}/options/${k}/value`, 'duplicate-key', `option "${o.value}" appears twice`);
    values.add(o.value);
  });
  checkDefault(c, field, path, values);
  field.locked?.forEach((v, k) => {
    const inDefault = Array.isArray(field.default) && field.default.includes(v);
    if (!values.has(v)) c.fail(`${path}/locked/${k}`, 'locked', `locked value "${v}" is not an option`);
    else if (!inDefault) c.fail(`${path}/locked/${k}`, 'locked', `locked value "${v}" must also be in the default`);
  });
}

function checkPattern(c: Checks, field: FieldDefinition, path: string): void {
  if (!STRING_TYPES.has(field.type)) {
    c.fail(`${path}/pattern`, 'pattern-type', `pattern applies to string, secret, url and text fields, not ${field.type}`);
    return;
  }
  try {
    new RegExp(field.pattern ?? '', 'u');
  } catch (error) {
    c.fail(`${path}/pattern`, 'invalid-regex', `pattern does not compile as an ECMAScript regular expression: ${(error as Error).message}`);
  }
}

function checkDefault(c: Checks, field: FieldDefinition, path: string, options: Set<string>): void {
  const value = field.default;
  if (value === undefined || isSecret(field)) return;
  const at = `${path}/default`;
  switch (field.type) {
    case 'number':
    case 'boolean':
      if (typeof value !== field.type) c.fail(at, 'default-type', `default must be a ${field.type}`);
      return;
    case 'json':
      return;
    case 'multiselect':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) c.fail(at, 'default-type', 'default must be an array of option values');
      else value.forEach((v, k) => options.has(v as string) || c.fail(`${at}/${k}`, 'default-not-in-options', `"${v}" is not an option`));
      return;
    default:
      if (typeof value !== 'string') {
        c.fail(at, 'default-type', `default must be a string`);
      } else if (field.type === 'select' && !options.has(value)) {
        c.fail(at, 'default-not-in-options', `"${value}" is not an option (${[...options].join(', ')})`);
      } else if (field.pattern && safeTest(field.pattern, value) === false) {
        c.fail(at, 'default-pattern', `default "${value}" does not match the field's pattern`);
      }
  }
}

function safeTest(pattern: string, value: string): boolean | undefined {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return undefined; // reported by checkPattern
  }
}
