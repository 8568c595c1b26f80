import { type JSONValue, TreeInterpreter, compile } from '@jmespath-community/jmespath';
import { Problem } from '../problems/problem.ts';
import './errors.ts';

/**
 * JMESPath, the one expression language of connector definitions. Expressions are parsed once
 * (the catalog already checked their syntax) and evaluated with named values bound as
 * variables: $input everywhere, $response in response expressions.
 */
type ExpressionNode = ReturnType<typeof compile>;
const parsed = new Map<string, ExpressionNode>();

function parse(expression: string): ExpressionNode {
  let node = parsed.get(expression);
  if (!node) {
    node = compile(expression);
    parsed.set(expression, node);
  }
  return node;
}

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

/**
 * Evaluates `expression` over `data`. Variables are bound by wrapping the expression in a `let`
 * node, the library's own scoping construct, so no interpreter internals are touched.
 */
export function evaluate(expression: string, data: unknown, variables: Record<string, unknown> = {}): unknown {
  const node = parse(expression);
  const bindings = Object.entries(variables).map(([variable, value]) => ({
    type: 'Binding' as const,
    variable,
    reference: { type: 'Literal' as const, value: toJson(value) },
  }));
  const wrapped = bindings.length ? ({ type: 'LetExpression', bindings, expression: node } as unknown as ExpressionNode) : node;
  try {
    return TreeInterpreter.search(wrapped, toJson(data));
  } catch (error) {
    throw new ExpressionError(`${(error as Error).message} (in "${expression}")`);
  }
}

/** Evaluates and turns a failure into the definition problem it is (the input was already valid). */
export function evaluateOrFail(expression: string, data: unknown, variables: Record<string, unknown>, where: string): unknown {
  try {
    return evaluate(expression, data, variables);
  } catch (error) {
    throw new Problem('ACTIVITY_DEFINITION_ERROR', `The expression of ${where} failed: ${(error as Error).message}`);
  }
}

/** JMESPath works on JSON values: undefined becomes null. */
function toJson(value: unknown): JSONValue {
  return value === undefined ? null : (value as JSONValue);
}
