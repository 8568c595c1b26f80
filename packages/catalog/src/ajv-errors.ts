// Turns ajv's error objects into messages a connector author can act on: the unknown property is
// named, enums list their values, a missing property is part of the path, and branch noise from
// oneOf / if / discriminator is folded into one error.
import type { ErrorObject } from 'ajv';
import { pointerJoin, readPointer } from './pointer.ts';

export interface Problem {
  path: string;
  rule: string;
  message: string;
}

type Schema = Record<string, unknown>;

// Patterns of the schema, described in words instead of printing the regex.
const PATTERN_NAMES: Record<string, string> = {
  '^[a-z0-9]+(-[a-z0-9]+)*$': 'must be kebab-case: lower-case letters and digits, words joined by single hyphens (e.g. "microsoft-365")',
  '^[a-z][a-zA-Z0-9]*$': 'must be camelCase: a lower-case letter, then letters and digits (e.g. "tenantId")',
  '^(https://|\\{)\\S*$': 'must be an https:// URL or start with a {placeholder}, without spaces',
  '^(/|\\{)\\S*$': 'must start with / or a {placeholder}, without spaces',
  '^(/([^~/]|~[01])*)*$': 'must be a JSON Pointer such as /value or /@odata.nextLink (escape ~ as ~0 and / as ~1)',
  '^[^{}]+$': 'must be a literal value without braces',
  '^\\S+$': 'must not contain spaces',
};

function describePattern(pattern: string): string {
  const named = PATTERN_NAMES[pattern];
  if (named) return named;
  // Enum-or-field-reference patterns such as ^(header|query|\{...\})$.
  const alternatives = /^\^\((.*)\|\\\{.*\\\}\)\$$/.exec(pattern);
  if (alternatives?.[1]) return `must be one of ${alternatives[1].split('|').join(', ')}, or a {fieldRef} to a select field`;
  if (pattern.startsWith('^(0|[1-9]')) return 'must be a semantic version such as 1.0.0';
  if (pattern.startsWith('^(data:image/svg')) return 'must be a data:image/svg+xml URI or an https URL';
  return `must match ${pattern}`;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text !== undefined && text.length <= 80 ? ` (got ${text})` : '';
}

function kebabRule(keyword: string): string {
  return keyword.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()).replace(/\s+/g, '-');
}

/** Property names a schema accepts, following allOf and local $refs. */
function allowedProperties(schema: unknown, root: Schema, seen = new Set<unknown>()): string[] {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  const s = schema as Schema;
  const names = Object.keys((s.properties as Schema | undefined) ?? {});
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#')) names.push(...allowedProperties(readPointer(root, s.$ref.slice(1)), root, seen));
  for (const part of (s.allOf as unknown[] | undefined) ?? []) names.push(...allowedProperties(part, root, seen));
  return [...new Set(names)];
}

/**
 * Why a property is forbidden: it clashes with another (dependentSchemas) or with a tag value (if/then).
 * The matching `if` error (same object, sibling schema path) carries the condition in its parentSchema.
 */
function notAllowedMessage(error: ErrorObject, all: readonly ErrorObject[]): string {
  const name = `"${error.instancePath.split('/').pop()}"`;
  const dependent = /\/dependentSchemas\/([^/]+)\//.exec(error.schemaPath);
  if (dependent) return `${name} cannot be used together with "${dependent[1]}"`;
  const then = /^(.*)\/then\//.exec(error.schemaPath);
  const parentPath = error.instancePath.slice(0, error.instancePath.lastIndexOf('/'));
  const ifError = then && all.find((e) => e.keyword === 'if' && e.schemaPath === `${then[1]}/if` && e.instancePath === parentPath);
  const condition = (ifError?.parentSchema as Schema | undefined)?.if as Schema | undefined;
  const tags = Object.entries((condition?.properties as Record<string, Schema> | undefined) ?? {}).filter(([, s]) => 'const' in s);
  if (tags.length === 1) {
    const [tag, schema] = tags[0] as [string, Schema];
    return `${name} is not allowed when ${tag} is ${JSON.stringify(schema.const)}`;
  }
  return `${name} is not allowed here`;
}

function oneOfMessage(error: ErrorObject): string {
  const branches = ((error.parentSchema as Schema | undefined)?.oneOf as Schema[] | undefined) ?? [];
  const names = branches.map((b) => ((b.required as string[] | undefined) ?? []).join(' + ')).filter(Boolean);
  if (names.length === 0) return 'must match exactly one of the allowed shapes';
  return error.params.passingSchemas ? `must have only one of: ${names.join(', ')}` : `must have exactly one of: ${names.join(', ')}`;
}

function translate(error: ErrorObject, root: Schema, all: readonly ErrorObject[]): Problem {
  const path = error.instancePath;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: pointerJoin(path, String(p.missingProperty)), rule: 'required', message: `required property "${p.missingProperty}" is missing` };
    case 'dependentRequired':
      return {
        path: pointerJoin(path, String(p.missingProperty)),
        rule: 'required',
        message: `property "${p.missingProperty}" is required when "${p.property}" is set`,
      };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      const allowed = allowedProperties(error.parentSchema, root);
      return {
        path: pointerJoin(path, name),
        rule: 'additional-property',
        message: `unknown property "${name}"` + (allowed.length ? `; allowed here: ${allowed.join(', ')}` : ''),
      };
    }
    case 'enum':
      return { path, rule: 'enum', message: `must be one of ${(p.allowedValues as unknown[]).join(', ')}${shown(error.data)}` };
    case 'const':
      return { path, rule: 'const', message: `must be ${JSON.stringify(p.allowedValue)}${shown(error.data)}` };
    case 'pattern':
      return { path, rule: 'pattern', message: `${describePattern(String(p.pattern))}${shown(error.data)}` };
    case 'type':
      return { path, rule: 'type', message: `must be of type ${String(p.type).split(',').join(' or ')}${shown(error.data)}` };
    case 'false schema':
      return { path, rule: 'not-allowed', message: notAllowedMessage(error, all) };
    case 'format':
      return { path, rule: 'format', message: `must be a valid ${p.format}${shown(error.data)}` };
    case 'oneOf':
      return { path, rule: 'one-of', message: oneOfMessage(error) };
    default:
      return { path, rule: kebabRule(error.keyword), message: error.message ?? 'is invalid' };
  }
}

export function humanizeAjvErrors(errors: readonly ErrorObject[], root: Schema): Problem[] {
  // Errors inside a failed oneOf's branches only restate the oneOf; the oneOf message lists the choices.
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath + '/');
  const kept = errors.filter(
    (e) =>
      e.keyword !== 'if' && // its then/else errors are reported themselves
      e.keyword !== 'discriminator' && // the tag's own enum/required error says it better
      !oneOfPaths.some((prefix) => e.schemaPath.startsWith(prefix)),
  );
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of kept) {
    const problem = translate(error, root, errors);
    const id = `${problem.path}\u0000${problem.rule}\u0000${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(problem);
  }
  return problems;
}
