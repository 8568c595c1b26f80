// Name scopes templates are rendered in, so every runtime component (OAuth engine, activity runtime,
// trigger engine) resolves {placeholders} and percent-encodes them the same way.
import { renderTemplate } from './template.ts';
import type { AuthTypeDefinition, ConnectorDefinition } from './types.ts';

export interface TemplateScope {
  lookup(name: string): unknown;
  /** Whether the value is inserted as it is in URL templates (it is itself a URL or URL text). */
  verbatim(name: string): boolean;
}

/** Renders a template in a scope; encode for URLs and paths, not for headers, claims or identity text. */
export function render(scope: TemplateScope, template: string, options: { encode: boolean }): string {
  return renderTemplate(template, (name) => scope.lookup(name), { encode: options.encode, verbatim: (name) => scope.verbatim(name) });
}

/**
 * Connection-level scope: bare names are connection values and auth-type variables,
 * {environment.x} the selected environment's values, {metadata.x} token-response metadata.
 * Variables are rendered as URL text (values percent-encoded, URLs verbatim) and inserted as they are.
 * `values` are resolved connection values (see resolveConnectionValues); a declared field without a
 * value renders as the empty string.
 */
export function connectionScope(
  def: ConnectorDefinition,
  auth: AuthTypeDefinition,
  values: Readonly<Record<string, unknown>>,
  metadata: Readonly<Record<string, unknown>> = {},
): TemplateScope {
  const env = def.environments;
  const selected = env ? env.options.find((o) => o.key === (values[env.field] ?? env.default)) : undefined;
  const fields = [...(def.fields ?? []), ...(auth.fields ?? [])];
  const declared = new Set(fields.map((f) => f.key));
  const urlFields = new Set(fields.filter((f) => f.type === 'url').map((f) => f.key));
  const variables = auth.variables ?? {};

  const base: TemplateScope = {
    lookup: (name) => {
      if (name.startsWith('environment.')) return selected?.values[name.slice('environment.'.length)];
      if (name.startsWith('metadata.')) return metadata[name.slice('metadata.'.length)];
      if (Object.hasOwn(values, name) && values[name] !== undefined && values[name] !== null) return values[name];
      // An optional field left empty renders as nothing (e.g. no API key prefix); unknown names stay errors.
      return declared.has(name) ? '' : undefined;
    },
    verbatim: (name) => name.startsWith('environment.') || name.startsWith('metadata.') || urlFields.has(name),
  };
  return {
    lookup: (name) => (Object.hasOwn(variables, name) ? render(base, variables[name] as string, { encode: true }) : base.lookup(name)),
    verbatim: (name) => Object.hasOwn(variables, name) || base.verbatim(name),
  };
}

/**
 * Activity and trigger scope: bare names are input properties (percent-encoded in URLs),
 * {connection.x} the connection scope's x, {environment.x} and {metadata.x} as in the connection
 * scope, and `extra` supplies runtime names such as watermark, webhook.url or subscription.id.
 */
export function operationScope(
  connection: TemplateScope,
  input: Readonly<Record<string, unknown>>,
  extra: Readonly<Record<string, unknown>> = {},
): TemplateScope {
  const passThrough = (name: string) => name.startsWith('environment.') || name.startsWith('metadata.');
  return {
    lookup: (name) => {
      if (Object.hasOwn(extra, name)) return extra[name];
      if (name.startsWith('connection.')) return connection.lookup(name.slice('connection.'.length));
      if (passThrough(name)) return connection.lookup(name);
      return Object.hasOwn(input, name) ? input[name] : undefined;
    },
    verbatim: (name) => {
      if (name === 'webhook.url') return true;
      if (name.startsWith('connection.')) return connection.verbatim(name.slice('connection.'.length));
      return passThrough(name);
    },
  };
}
