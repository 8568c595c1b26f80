/**
 * A form for an activity's input schema: one input per top-level property, typed from the
 * schema (enum → select, boolean → checkbox, number, lists of text, JSON for the rest).
 * Values are kept as typed text and converted when the activity runs.
 */

export interface JsonSchemaProperty {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  format?: string;
  items?: JsonSchemaProperty;
}

export interface ObjectSchema {
  properties?: Record<string, JsonSchemaProperty>;
  required?: string[];
}

type Kind = 'enum' | 'boolean' | 'number' | 'text' | 'long-text' | 'list' | 'json';

const LONG_TEXT = /body|content|comment|message|description|html/i;

function kindOf(name: string, p: JsonSchemaProperty): Kind {
  const type = Array.isArray(p.type) ? p.type.find((t) => t !== 'null') : p.type;
  if (p.enum) return 'enum';
  if (type === 'boolean') return 'boolean';
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'string') return LONG_TEXT.test(name) ? 'long-text' : 'text';
  if (type === 'array' && (p.items?.type === 'string' || p.items?.enum)) return 'list';
  return 'json';
}

export function initialInput(schema: ObjectSchema): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const [name, p] of Object.entries(schema.properties ?? {})) {
    if (p.default === undefined) continue;
    const kind = kindOf(name, p);
    values[name] = kind === 'boolean' ? p.default === true : kind === 'json' ? JSON.stringify(p.default, null, 2) : kind === 'list' && Array.isArray(p.default) ? p.default.join(', ') : String(p.default);
  }
  return values;
}

/** The input object to send, or the name of the first property whose text does not parse. */
export function buildInput(schema: ObjectSchema, values: Record<string, string | boolean>): { input: Record<string, unknown> } | { invalid: string; message: string } {
  const input: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(schema.properties ?? {})) {
    const raw = values[name];
    if (raw === undefined || raw === '') continue;
    const kind = kindOf(name, p);
    if (kind === 'boolean') input[name] = raw === true;
    else if (kind === 'number') input[name] = Number(raw);
    else if (kind === 'list') input[name] = String(raw).split(/[\n,;]/).map((s) => s.trim()).filter(Boolean);
    else if (kind === 'json') {
      try {
        input[name] = JSON.parse(String(raw));
      } catch {
        return { invalid: name, message: `${name} must be valid JSON` };
      }
    } else input[name] = raw;
  }
  return { input };
}

export function SchemaForm({ schema, values, onChange, idPrefix }: { schema: ObjectSchema; values: Record<string, string | boolean>; onChange: (name: string, value: string | boolean) => void; idPrefix: string }) {
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {});
  if (entries.length === 0) return <p className="muted">This activity takes no input.</p>;
  return (
    <>
      {entries.map(([name, p]) => {
        const id = `${idPrefix}-${name}`;
        const kind = kindOf(name, p);
        const value = values[name];
        const hintId = `${id}-hint`;
        const hint = kind === 'list' ? `${p.description ?? ''} Separate several with commas.`.trim() : kind === 'json' ? `${p.description ?? ''} As JSON.`.trim() : p.description;
        const common = { id, name, 'aria-describedby': hint ? hintId : undefined, required: required.has(name) };
        const label = (
          <>
            {name}
            {!required.has(name) && <span className="muted"> (optional)</span>}
          </>
        );
        if (kind === 'boolean') {
          return (
            <div className="field" key={name}>
              <label className="checkbox">
                <input type="checkbox" {...common} required={false} checked={value === true} onChange={(e) => onChange(name, e.target.checked)} />
                <span>{label}</span>
              </label>
              {hint && <span id={hintId} className="hint">{hint}</span>}
            </div>
          );
        }
        let input;
        if (kind === 'enum') {
          input = (
            <select {...common} value={String(value ?? '')} onChange={(e) => onChange(name, e.target.value)}>
              {!required.has(name) && <option value="">—</option>}
              {(p.enum ?? []).map((o) => (
                <option key={String(o)} value={String(o)}>
                  {String(o)}
                </option>
              ))}
            </select>
          );
        } else if (kind === 'long-text' || kind === 'json') {
          input = <textarea {...common} rows={kind === 'json' ? 5 : 4} spellCheck={kind === 'long-text'} value={String(value ?? '')} onChange={(e) => onChange(name, e.target.value)} />;
        } else {
          input = <input {...common} type={kind === 'number' ? 'number' : p.format === 'email' ? 'email' : 'text'} value={String(value ?? '')} onChange={(e) => onChange(name, e.target.value)} />;
        }
        return (
          <div className="field" key={name}>
            <label htmlFor={id}>{label}</label>
            {input}
            {hint && <span id={hintId} className="hint">{hint}</span>}
          </div>
        );
      })}
    </>
  );
}
