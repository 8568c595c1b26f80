import type { FieldDefinition } from '@switchboard/catalog/types';
import { isSecret } from '@switchboard/catalog/definition';

export type FieldValues = Record<string, unknown>;

/**
 * The inputs of a connection form, rendered from the connector definition (the same field
 * list the server validates against). Secret inputs are uncontrolled: their value lives in
 * the DOM until submit, never in React state, and the form is reset after it is sent.
 */
export function ConnectionFields(props: {
  fields: FieldDefinition[];
  values: FieldValues;
  onChange: (key: string, value: unknown) => void;
  errors: Record<string, string>;
  /** Reconnect: secrets may stay as they are. */
  secretsOptional?: boolean;
}) {
  return (
    <>
      {props.fields.map((field) => (
        <Field key={field.key} field={field} {...props} />
      ))}
    </>
  );
}

function Field({ field, values, onChange, errors, secretsOptional }: { field: FieldDefinition; values: FieldValues; onChange: (key: string, value: unknown) => void; errors: Record<string, string>; secretsOptional?: boolean | undefined }) {
  const id = `field-${field.key}`;
  const error = errors[field.key];
  const described = [field.help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const required = field.required && !(secretsOptional && isSecret(field));
  const common = { id, name: field.key, 'aria-invalid': error ? true : undefined, 'aria-describedby': described, required };
  const help = field.help && <span id={`${id}-help`} className="hint">{field.help}</span>;
  const errorText = error && <span id={`${id}-error`} className="field-error">{error}</span>;
  const label = (
    <>
      {field.label}
      {!required && <span className="muted"> (optional)</span>}
    </>
  );

  if (field.type === 'multiselect') {
    const chosen = new Set(Array.isArray(values[field.key]) ? (values[field.key] as string[]) : []);
    const locked = new Set(field.locked ?? []);
    const toggle = (value: string, on: boolean) => {
      const next = new Set(chosen);
      if (on) next.add(value);
      else next.delete(value);
      onChange(field.key, (field.options ?? []).map((o) => o.value).filter((v) => next.has(v)));
    };
    return (
      <fieldset className="field checkbox-group" aria-describedby={described} aria-invalid={error ? true : undefined}>
        <legend>{label}</legend>
        {help}
        <div className="checkbox-grid">
          {(field.options ?? []).map((o) => (
            <label key={o.value} title={o.description} className="checkbox">
              <input
                type="checkbox"
                name={field.key}
                value={o.value}
                checked={locked.has(o.value) || chosen.has(o.value)}
                disabled={locked.has(o.value)}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              <span>
                {o.label}
                {locked.has(o.value) && <span className="muted"> (always requested)</span>}
              </span>
            </label>
          ))}
        </div>
        {errorText}
      </fieldset>
    );
  }

  if (field.type === 'boolean') {
    return (
      <div className="field">
        <label className="checkbox">
          <input type="checkbox" {...common} required={false} checked={values[field.key] === true} onChange={(e) => onChange(field.key, e.target.checked)} />
          <span>{field.label}</span>
        </label>
        {help}
        {errorText}
      </div>
    );
  }

  let input;
  if (isSecret(field)) {
    input = <input {...common} type="password" autoComplete="off" spellCheck={false} placeholder={secretsOptional ? 'Unchanged' : field.placeholder} />;
  } else if (field.type === 'select') {
    const selected = field.options?.find((o) => o.value === values[field.key]);
    input = (
      <>
        <select {...common} value={String(values[field.key] ?? '')} onChange={(e) => onChange(field.key, e.target.value)}>
          {!field.default && <option value="">Choose…</option>}
          {(field.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {selected?.description && <span className="hint">{selected.description}</span>}
      </>
    );
  } else if (field.type === 'text' || field.type === 'json') {
    input = (
      <textarea
        {...common}
        rows={field.type === 'json' ? 6 : 3}
        spellCheck={field.type === 'text'}
        placeholder={field.placeholder}
        value={typeof values[field.key] === 'string' ? (values[field.key] as string) : values[field.key] === undefined ? '' : JSON.stringify(values[field.key], null, 2)}
        onChange={(e) => onChange(field.key, e.target.value)}
      />
    );
  } else {
    input = (
      <input
        {...common}
        type={field.type === 'url' ? 'url' : field.type === 'number' ? 'number' : 'text'}
        spellCheck={false}
        placeholder={field.placeholder}
        value={values[field.key] === undefined || values[field.key] === null ? '' : String(values[field.key])}
        onChange={(e) => onChange(field.key, e.target.value)}
      />
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {input}
      {help}
      {errorText}
    </div>
  );
}
