// JMESPath expressions in requests and responses are parsed when the definition is validated, so a
// typo in an expression stops the service at start with its JSON path instead of failing one call
// later. Only syntax can be checked here: function names and variables resolve when evaluated.
import { compile } from '@jmespath-community/jmespath';
import { pointerJoin } from '../pointer.ts';
import type { ActivityDefinition, RequestDefinition } from '../types.ts';
import type { Checks } from './context.ts';

function checkExpression(c: Checks, expression: string, path: string): void {
  try {
    compile(expression);
  } catch (error) {
    c.fail(path, 'bad-expression', `not a valid JMESPath expression: ${(error as Error).message}`);
  }
}

export function checkRequestExpressions(c: Checks, request: RequestDefinition, path: string): void {
  for (const kind of ['query', 'headers'] as const) {
    for (const [name, value] of Object.entries(request[kind] ?? {})) {
      if (typeof value !== 'string') checkExpression(c, value.expr, pointerJoin(`${path}/${kind}`, name, 'expr'));
    }
  }
  if (request.body?.expr !== undefined) checkExpression(c, request.body.expr, `${path}/body/expr`);
}

export function checkActivityExpressions(c: Checks, activity: ActivityDefinition, path: string): void {
  checkRequestExpressions(c, activity.request, `${path}/request`);
  if (activity.response?.expr !== undefined) checkExpression(c, activity.response.expr, `${path}/response/expr`);
}
