import { conditionHolds, connectionFields, resolveConnectionValues } from '@switchboard/catalog/connection-form';
import { isSecret } from '@switchboard/catalog/definition';
import type { AuthTypeDefinition, ConnectorDefinition, FieldDefinition } from '@switchboard/catalog/types';
import { useMemo, useState } from 'react';
import type { ApiError } from '../api/client.ts';
import type { FieldValues } from './connection-fields.tsx';

function initialValues(fields: FieldDefinition[], given: FieldValues): FieldValues {
  const values: FieldValues = {};
  for (const f of fields) {
    if (isSecret(f)) continue;
    const value = given[f.key] ?? f.default;
    if (value !== undefined) values[f.key] = value;
  }
  return values;
}

/**
 * The state of a connection form: non-secret values in state, the fields visible for them,
 * and `collect`, which reads secrets from the form element at submit time and checks
 * everything with the same rules the server applies (@switchboard/catalog's resolveConnectionValues).
 */
export function useConnectionForm(def: ConnectorDefinition, auth: AuthTypeDefinition, given: FieldValues = {}, options: { secretsOptional?: boolean } = {}) {
  const fields = useMemo(() => connectionFields(def, auth), [def, auth]);
  const [values, setValues] = useState<FieldValues>(() => initialValues(fields, given));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const visible = fields.filter((f) => !f.visibleWhen || conditionHolds(f.visibleWhen, values));

  const onChange = (key: string, value: unknown) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => {
      const { [key]: _gone, ...rest } = e;
      return rest;
    });
  };

  /** The fields to send, or undefined after showing what is wrong (and focusing it). */
  const collect = (form: HTMLFormElement): Record<string, unknown> | undefined => {
    const input: Record<string, unknown> = {};
    const found: Record<string, string> = {};
    for (const f of visible) {
      let value: unknown = values[f.key];
      if (isSecret(f)) value = (form.elements.namedItem(f.key) as HTMLInputElement | null)?.value ?? '';
      if (f.type === 'json' && typeof value === 'string' && value.trim()) {
        try {
          value = JSON.parse(value);
        } catch {
          found[f.key] = `${f.label} must be valid JSON`;
        }
      }
      if (value !== undefined && value !== '') input[f.key] = value;
    }
    for (const p of resolveConnectionValues(def, auth, input).problems) {
      const field = fields.find((f) => f.key === p.field);
      if (options.secretsOptional && field && isSecret(field) && input[p.field] === undefined) continue;
      found[p.field] ??= p.message;
    }
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      form.querySelector<HTMLElement>(`[name="${CSS.escape(first)}"]`)?.focus();
      return undefined;
    }
    return input;
  };

  /** Maps a 400 from the server (`/body/fields/<key>`) onto the fields. */
  const showServerErrors = (error: ApiError) => {
    const found: Record<string, string> = {};
    for (const e of error.errors) {
      const key = /^\/body\/fields\/([^/]+)/.exec(e.path)?.[1];
      if (key) found[key] = e.message;
    }
    setErrors(found);
  };

  /** After a round trip, secrets leave the page: the inputs are emptied. */
  const forgetSecrets = (form: HTMLFormElement) => {
    for (const f of fields) if (isSecret(f)) {
      const el = form.elements.namedItem(f.key) as HTMLInputElement | null;
      if (el) el.value = '';
    }
  };

  return { fields, visible, values, errors, onChange, collect, showServerErrors, forgetSecrets };
}
