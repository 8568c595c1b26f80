import { type AuthTypeDefinition, type ConnectorDefinition, type EnvironmentOption, type TemplateScope, connectionScope, render } from '@switchboard/catalog';

/**
 * A connection's values as templates see them (base URL, auth URLs, scopes, identity,
 * inject): the catalog's connection scope, so every component fills {placeholders} and
 * percent-encodes them the same way. Built per use from the stored values.
 */
export class ConnectionContext {
  readonly environment: EnvironmentOption | undefined;
  private readonly scope: TemplateScope;

  constructor(
    readonly connector: ConnectorDefinition,
    readonly auth: AuthTypeDefinition,
    /** Every field value, secret or not, after defaults. */
    readonly values: Readonly<Record<string, unknown>>,
    readonly metadata: Readonly<Record<string, unknown>> = {},
  ) {
    const envs = connector.environments;
    if (envs) {
      const key = String(values[envs.field] ?? envs.default);
      this.environment = envs.options.find((o) => o.key === key);
    }
    this.scope = connectionScope(connector, auth, values, metadata);
  }

  get environmentKey(): string | undefined {
    return this.environment?.key;
  }

  lookup = (name: string): unknown => this.scope.lookup(name);

  /** URL and path templates: inserted values are percent-encoded, except URLs and environment values. */
  renderUrl(template: string): string {
    return render(this.scope, template, { encode: true });
  }

  /** Header values, claims, scopes, identity text: inserted as they are. */
  renderText(template: string): string {
    return render(this.scope, template, { encode: false });
  }

  /** A `{field}` reference resolves to that field's value; anything else is returned as written. */
  resolveRef(value: string): string {
    const m = /^\{(?:connection\.)?([a-zA-Z][a-zA-Z0-9]*)\}$/.exec(value);
    return m ? String(this.lookup(m[1]!) ?? '') : value;
  }

  baseUrl(): string | undefined {
    const template = this.auth.baseUrl ?? this.connector.baseUrl;
    return template === undefined ? undefined : this.renderUrl(template).replace(/\/+$/, '');
  }
}
