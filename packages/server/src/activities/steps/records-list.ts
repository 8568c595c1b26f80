import type { ActivityDefinition, ConnectorDefinition, ObjectDefinition } from '@switchboard/catalog';
import { Problem } from '../../problems/problem.ts';
import { inputProblem } from '../input.ts';
import { toODataFilter } from '../odata-filter.ts';
import { type Where, WhereError } from '../where.ts';
import type { RegisteredStep } from './index.ts';

function objectOf(connector: ConnectorDefinition, activity: ActivityDefinition): ObjectDefinition {
  const object = connector.objects?.find((o) => o.key === activity.object);
  if (!object) throw new Problem('ACTIVITY_DEFINITION_ERROR', `The activity ${activity.key} lists records of "${activity.object}", which ${connector.key} does not define.`);
  return object;
}

/** The vendor filter for `where`, or the reason it cannot be had; runs before anything is sent. */
function compileWhere(connector: ConnectorDefinition, activity: ActivityDefinition, input: Record<string, unknown>): string | undefined {
  const where = input.where as Where | undefined;
  if (where === undefined) return undefined;
  const object = objectOf(connector, activity);
  switch (object.queryLanguage) {
    case 'odata':
      try {
        const orderBy = typeof input.orderBy === 'string' ? input.orderBy.split(',').map((part) => part.trim().split(/\s+/)[0]!) : [];
        return toODataFilter(where, object.schema, { orderBy });
      } catch (error) {
        if (error instanceof WhereError) throw inputProblem(error.errors);
        throw error;
      }
    case 'none':
      throw inputProblem(
        [{ path: '/input/where', message: `${object.displayName} records cannot be filtered: the vendor's API has no query language for them`, rule: 'not-filterable' }],
        `${connector.displayName} cannot filter ${object.displayName} records. Leave out where and filter the records in your automation.`,
      );
    default:
      throw inputProblem(
        [{ path: '/input/where', message: `filtering ${object.displayName} records (${object.queryLanguage}) is not supported by this version`, rule: 'not-filterable' }],
        `where is not supported yet for ${object.displayName} records (query language ${object.queryLanguage}). Leave it out and filter the records in your automation.`,
      );
  }
}

/**
 * List Records: the declarative list, plus `where` compiled into the object's query language.
 * The compiled filter is the one part no template can make, so it is the whole step.
 */
export const recordsList: RegisteredStep = {
  check: ({ connector, activity, input }) => void compileWhere(connector, activity, input),
  run: async (ctx) => {
    const filter = compileWhere(ctx.connector, ctx.activity, ctx.input);
    return ctx.run(filter === undefined ? {} : { query: { $filter: filter } });
  },
};
