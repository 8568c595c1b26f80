import { type ActivityDefinition, type TemplateScope, TemplateValueError, connectionScope, operationScope, render, templateVariables } from '@switchboard/catalog';
import type { ConnectionContext } from '../authentication/context.ts';
import { Problem } from '../problems/problem.ts';
import { inputProblem } from './input.ts';

/**
 * The names an activity's templates see: inputs (bare), connection values (connection.x),
 * environment values, and the activity's variables, computed here in declaration order.
 */
export class ActivityScope {
  readonly scope: TemplateScope;
  /** For each variable that rendered: its value. Unrendered ones are absent. */
  readonly variables = new Map<string, string>();

  constructor(
    ctx: ConnectionContext,
    private readonly activity: Pick<ActivityDefinition, 'key' | 'variables'>,
    input: Readonly<Record<string, unknown>>,
  ) {
    const base = operationScope(connectionScope(ctx.connector, ctx.auth, ctx.values, ctx.metadata), input);
    const vars = this.variables;
    this.scope = {
      lookup: (name) => (vars.has(name) ? vars.get(name) : base.lookup(name)),
      // Variables are URL text already (their inputs were encoded when they rendered).
      verbatim: (name) => vars.has(name) || base.verbatim(name),
    };
    // A candidate is skipped when one of its placeholders has no value; an empty input counts as
    // none, since "/users/" is never the path anyone meant.
    const strict: TemplateScope = {
      lookup: (name) => {
        const value = this.scope.lookup(name);
        return value === '' ? undefined : value;
      },
      verbatim: (name) => this.scope.verbatim(name),
    };
    for (const [name, value] of Object.entries(activity.variables ?? {})) {
      for (const candidate of Array.isArray(value) ? value : [value]) {
        try {
          vars.set(name, render(strict, candidate, { encode: true }));
          break;
        } catch (error) {
          if (!(error instanceof TemplateValueError)) throw error;
        }
      }
    }
  }

  /** A path or URL template: inserted values percent-encoded. */
  url(template: string): string {
    return this.render(template, true);
  }

  /** A query or header value: inserted as it is (the URL and HTTP layers encode). */
  text(template: string): string {
    return this.render(template, false);
  }

  /** The value of a placeholder, for "a template that is exactly one absent placeholder is omitted". */
  lookup(name: string): unknown {
    return this.scope.lookup(name);
  }

  private render(template: string, encode: boolean): string {
    try {
      return render(this.scope, template, { encode });
    } catch (error) {
      if (error instanceof TemplateValueError) throw this.missing(error.placeholder);
      throw error;
    }
  }

  /**
   * A placeholder without a value. For a variable, its candidates name the inputs that would
   * have given it one, which is what the caller needs to hear; anything else is a definition defect.
   */
  private missing(placeholder: string): Problem {
    const candidates = this.activity.variables?.[placeholder];
    if (candidates !== undefined) {
      // Placeholders that are inputs (not connection values, not other variables).
      const declared = this.activity.variables ?? {};
      const inputs = [...new Set((Array.isArray(candidates) ? candidates : [candidates]).flatMap(templateVariables).filter((n) => !n.includes('.') && !Object.hasOwn(declared, n)))];
      const message = inputs.length === 1 ? `is required` : `give one of ${inputs.join(', ')}`;
      return inputProblem(
        inputs.map((n) => ({ path: `/input/${n}`, message, rule: 'required' })),
        `The input must include ${inputs.length === 1 ? inputs[0] : `one of ${inputs.join(', ')}`}.`,
      );
    }
    if (!placeholder.includes('.')) return inputProblem([{ path: `/input/${placeholder}`, message: 'is required', rule: 'required' }]);
    return new Problem('ACTIVITY_DEFINITION_ERROR', `The activity ${this.activity.key} has no value for {${placeholder}}.`);
  }
}
