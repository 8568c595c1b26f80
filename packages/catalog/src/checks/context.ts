// Shared state of the semantic checks: the problem list and the name scopes templates resolve in.
// Checks run only on schema-valid definitions, so they may rely on the TypeScript types.
import type { Problem } from '../ajv-errors.ts';
import { TemplateSyntaxError, templateVariables } from '../template.ts';
import type { AuthTypeDefinition, ConnectorDefinition, FieldDefinition } from '../types.ts';

export interface FieldAt {
  field: FieldDefinition;
  path: string;
}

/** What resolving one placeholder gives: undefined when it resolves, else why not. */
export type Resolver = (name: string) => string | undefined;

export class Checks {
  readonly problems: Problem[] = [];
  /** Connector-level fields by key. */
  readonly connectorFields = new Map<string, FieldAt>();
  /** Names every environment option defines (the intersection, so a value missing somewhere is unknown). */
  readonly environmentValues = new Set<string>();
  readonly #fieldsByAuth = new Map<number, Map<string, FieldAt>>();

  constructor(readonly def: ConnectorDefinition) {
    def.fields?.forEach((field, i) => {
      if (!this.connectorFields.has(field.key)) this.connectorFields.set(field.key, { field, path: `/fields/${i}` });
    });
    const options = def.environments?.options ?? [];
    for (const name of Object.keys(options[0]?.values ?? {})) {
      if (options.every((o) => Object.hasOwn(o.values, name))) this.environmentValues.add(name);
    }
  }

  fail(path: string, rule: string, message: string): void {
    this.problems.push({ path, rule, message });
  }

  /** Fields visible to an auth type: connector-level first, then its own (first declaration wins). */
  fieldsOf(auth: AuthTypeDefinition, authIndex: number): ReadonlyMap<string, FieldAt> {
    let fields = this.#fieldsByAuth.get(authIndex);
    if (!fields) {
      fields = new Map(this.connectorFields);
      for (const [i, field] of (auth.fields ?? []).entries()) {
        if (!fields.has(field.key)) fields.set(field.key, { field, path: `/auth/${authIndex}/fields/${i}` });
      }
      this.#fieldsByAuth.set(authIndex, fields);
    }
    return fields;
  }

  /** Bare names of an auth type's connection scope: fields and variables. */
  connectionNames(auth: AuthTypeDefinition, authIndex: number): Set<string> {
    return new Set([...this.fieldsOf(auth, authIndex).keys(), ...Object.keys(auth.variables ?? {})]);
  }

  /** Names a connection field or variable defined whatever the auth type is. */
  everyAuthHas(name: string): boolean {
    return this.def.auth.every((auth, i) => this.connectionNames(auth, i).has(name));
  }

  /** A connection field that exists in every auth type, with its definition in the first. */
  connectionField(key: string): FieldDefinition | undefined {
    if (!this.def.auth.every((auth, i) => this.fieldsOf(auth, i).has(key))) return undefined;
    const first = this.def.auth[0];
    return first ? this.fieldsOf(first, 0).get(key)?.field : undefined;
  }

  /** Checks a template's syntax and each placeholder against a resolver; returns the placeholder names. */
  template(template: string, path: string, resolve: Resolver): string[] {
    let names;
    try {
      names = templateVariables(template);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      this.fail(path, 'bad-template', error.message);
      return [];
    }
    for (const name of names) {
      const why = resolve(name);
      if (why) this.fail(path, 'unknown-placeholder', `unknown placeholder {${name}}: ${why}`);
    }
    return names;
  }

  /** Resolver for {environment.x}, shared by every scope. */
  environment(name: string): string | undefined {
    const value = name.slice('environment.'.length);
    if (!this.def.environments) return 'the connector declares no environments';
    return this.environmentValues.has(value) ? undefined : `not a value every environment option defines (${[...this.environmentValues].join(', ') || 'none'})`;
  }
}
