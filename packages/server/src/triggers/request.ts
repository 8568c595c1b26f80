import { type JSONValue, TreeInterpreter, compile } from '@jmespath-community/jmespath';
import { type RequestDefinition, type TemplateScope, TemplateValueError, operationScope, render } from '@switchboard/catalog';
import type { ConnectionContext } from '../authentication/context.ts';
import type { HttpMethod, VendorRequest } from '../outbound/vendor-call.ts';

const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** A trigger definition could not be applied (a template without a value, an expression that fails). */
export class TriggerDefinitionError extends Error {
  override name = 'TriggerDefinitionError';
}

/**
 * The names trigger templates see: parameters (bare), connection values (connection.x),
 * environment and metadata values, and the runtime names of polls and subscriptions
 * ({watermark}, {webhook.url}, {subscription.id|secret|expiresAt}).
 * Expressions ({ "expr": ... }) are evaluated over `data`: the input for polls,
 * { input, webhook, subscription, connection } for subscription requests.
 */
export class TriggerScope {
  readonly scope: TemplateScope;

  constructor(
    readonly ctx: ConnectionContext,
    readonly input: Readonly<Record<string, unknown>>,
    extra: Readonly<Record<string, unknown>>,
    readonly data: unknown,
  ) {
    this.scope = operationScope({ lookup: ctx.lookup, verbatim: (name) => connectionVerbatim(ctx, name) }, input, extra);
  }

  url(template: string): string {
    return this.render(template, true);
  }

  text(template: string): string {
    return this.render(template, false);
  }

  /** A {connection.field} reference (select fields choosing a setting) resolves to the field's value. */
  ref(value: string): string {
    const m = /^\{(connection\.[A-Za-z][A-Za-z0-9]*)\}$/.exec(value);
    return m ? String(this.scope.lookup(m[1]!) ?? '') : value;
  }

  /** Optional texts (a prefix, a header) whose field was left empty render as nothing. */
  optionalText(template: string | undefined): string {
    if (template === undefined) return '';
    try {
      return this.text(template);
    } catch (error) {
      if (error instanceof TriggerDefinitionError) return '';
      throw error;
    }
  }

  evaluate(expression: string): unknown {
    try {
      return TreeInterpreter.search(compile(expression), (this.data ?? null) as JSONValue);
    } catch (error) {
      throw new TriggerDefinitionError(`the expression "${expression}" failed: ${(error as Error).message}`);
    }
  }

  private render(template: string, encode: boolean): string {
    try {
      return render(this.scope, template, { encode });
    } catch (error) {
      if (error instanceof TemplateValueError) throw new TriggerDefinitionError(`no value for {${error.placeholder}} in "${template}"`);
      throw error;
    }
  }
}

/**
 * The connection's non-secret values (fields and auth variables, rendered) for expressions of
 * subscription requests, e.g. Microsoft Graph's resource path under {connection.userPath}.
 */
export function connectionData(ctx: ConnectionContext): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const fields = [...(ctx.connector.fields ?? []), ...(ctx.auth.fields ?? [])].filter((f) => f.type !== 'secret');
  for (const key of [...fields.map((f) => f.key), ...Object.keys(ctx.auth.variables ?? {})]) {
    try {
      data[key] = ctx.renderText(`{${key}}`);
    } catch {
      // A template without a value (an optional field left empty) is simply absent.
    }
  }
  return data;
}

/** URL fields and environment or metadata values are URL text already; ConnectionContext knows which. */
function connectionVerbatim(ctx: ConnectionContext, name: string): boolean {
  if (name.startsWith('environment.') || name.startsWith('metadata.')) return true;
  const fields = [...(ctx.connector.fields ?? []), ...(ctx.auth.fields ?? [])];
  return fields.some((f) => f.key === name && f.type === 'url') || Object.hasOwn(ctx.auth.variables ?? {}, name);
}

/**
 * The HTTP request a trigger definition describes: the path under the connection's base URL,
 * query and headers from templates or expressions (a value that is absent leaves its
 * parameter out), and a JSON or form body.
 */
export function buildRequest(def: RequestDefinition, scope: TriggerScope): VendorRequest {
  const base = scope.ctx.baseUrl();
  const path = scope.url(def.path);
  const url = /^https?:\/\//i.test(path) ? new URL(path) : base !== undefined ? new URL(base + path) : undefined;
  if (!url) throw new TriggerDefinitionError('the connector has no base URL for a relative request path');
  for (const [name, source] of Object.entries(def.query ?? {})) {
    const value = valueOf(source, scope);
    for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined && item !== null) url.searchParams.append(name, scalar(item));
  }
  const headers: Record<string, string> = {};
  for (const [name, source] of Object.entries(def.headers ?? {})) {
    const value = valueOf(source, scope);
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = Array.isArray(value) ? value.map(scalar).join(', ') : scalar(value);
  }
  let body: string | undefined;
  const bodyDef = def.body;
  if (bodyDef && bodyDef.type !== 'none') {
    const value = bodyDef.expr !== undefined ? scope.evaluate(bodyDef.expr) : bodyDef.from !== undefined ? scope.input[bodyDef.from] : undefined;
    if (value !== undefined && value !== null) {
      if (bodyDef.type === 'form') {
        const form = new URLSearchParams();
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== null && v !== undefined) form.append(k, scalar(v));
        body = form.toString();
        headers['content-type'] ??= bodyDef.contentType ?? 'application/x-www-form-urlencoded';
      } else if (bodyDef.type === 'json') {
        body = JSON.stringify(value);
        headers['content-type'] ??= bodyDef.contentType ?? 'application/json';
      } else {
        body = typeof value === 'string' ? value : JSON.stringify(value);
        headers['content-type'] ??= bodyDef.contentType ?? 'application/octet-stream';
      }
    }
  }
  return { method: def.method, url, headers, ...(body !== undefined ? { body } : {}), idempotent: IDEMPOTENT.has(def.method) };
}

function valueOf(source: string | { expr: string }, scope: TriggerScope): unknown {
  if (typeof source !== 'string') return scope.evaluate(source.expr);
  // A template that is one placeholder without a value is an optional parameter left out.
  const single = /^\{\+?([A-Za-z_][A-Za-z0-9_.]*)\}$/.exec(source);
  if (single) {
    const value = scope.scope.lookup(single[1]!);
    if (value === undefined || value === null || value === '') return undefined;
  }
  return scope.text(source);
}

function scalar(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
