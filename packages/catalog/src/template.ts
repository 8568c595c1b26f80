// {placeholder} templates: the one syntax used by URLs, paths, scopes, headers and identity templates.
// Braces always delimit a placeholder (there is no escape): no vendor URL we target needs a literal brace,
// and a stray brace is far more often a typo, so it is reported instead of passed through.
// {+name} is RFC 6570 reserved expansion: in URLs the value keeps its reserved characters (/ ? & = ...),
// for values that are themselves paths, such as a user-entered "/me".

/** A placeholder name: identifiers joined by dots, e.g. tenantId, environment.graph, connection.userPath. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export type TemplatePart = string | { name: string; reserved: boolean };

export class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError';
}

export class TemplateValueError extends Error {
  override name = 'TemplateValueError';
  constructor(readonly placeholder: string, message: string) {
    super(message);
  }
}

/** Splits a template into literal text and placeholders; throws TemplateSyntaxError on malformed braces. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === '}') throw new TemplateSyntaxError(`unmatched "}" at offset ${i} in "${template}"`);
    if (ch !== '{') {
      text += ch;
      continue;
    }
    const end = template.indexOf('}', i + 1);
    const nested = template.indexOf('{', i + 1);
    if (end < 0 || (nested >= 0 && nested < end)) {
      throw new TemplateSyntaxError(`unclosed "{" at offset ${i} in "${template}"`);
    }
    const inner = template.slice(i + 1, end);
    const reserved = inner.startsWith('+');
    const name = reserved ? inner.slice(1) : inner;
    if (!NAME.test(name)) {
      throw new TemplateSyntaxError(`"{${inner}}" is not a placeholder name (letters, digits, _ and dots, optionally after +) in "${template}"`);
    }
    if (text) parts.push(text);
    text = '';
    parts.push({ name, reserved });
    i = end;
  }
  if (text) parts.push(text);
  return parts;
}

/** Placeholder names used by a template, in order of first use, without duplicates. */
export function templateVariables(template: string): string[] {
  const names: string[] = [];
  for (const part of parseTemplate(template)) {
    if (typeof part !== 'string' && !names.includes(part.name)) names.push(part.name);
  }
  return names;
}

export interface RenderOptions {
  /** Percent-encode inserted values (URL and path templates); {+name} keeps reserved characters. */
  encode?: boolean;
  /** Names whose values are inserted as they are even when encoding (URLs, environment values). */
  verbatim?: (name: string) => boolean;
}

type Lookup = Readonly<Record<string, unknown>> | ((name: string) => unknown);

/** Fills a template; throws TemplateValueError when a placeholder has no scalar value. */
export function renderTemplate(template: string, values: Lookup, options: RenderOptions = {}): string {
  const lookup = typeof values === 'function' ? values : (name: string) => values[name];
  let out = '';
  for (const part of parseTemplate(template)) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = lookup(part.name);
    if (value === undefined || value === null) {
      throw new TemplateValueError(part.name, `no value for {${part.name}} in "${template}"`);
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TemplateValueError(part.name, `{${part.name}} is not a string, number or boolean in "${template}"`);
    }
    const text = String(value);
    if (!options.encode || options.verbatim?.(part.name)) out += text;
    else out += part.reserved ? encodeURI(text) : encodeURIComponent(text);
  }
  return out;
}
