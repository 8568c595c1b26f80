import { type JSONValue, TreeInterpreter, compile, tokenize } from '@jmespath-community/jmespath';

/**
 * Trigger filters are JMESPath expressions evaluated on an event's record: the event passes
 * when the result is truthy in JMESPath's sense (not null, false, "", [] or {}). Parsed once
 * per expression and kept, since the same filter runs on every event of its trigger.
 */
type Compiled = ReturnType<typeof compile>;
const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 5000;

export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
  constructor(
    message: string,
    /** Offset (0-based) of the first character that could not be read. */
    readonly position: number,
  ) {
    super(message);
  }
}

/** Parses an expression, or throws FilterSyntaxError saying where it breaks. */
export function parseFilter(expression: string): Compiled {
  const known = cache.get(expression);
  if (known) return known;
  let node: Compiled;
  try {
    node = compile(expression);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Syntax error:\s*/i, '');
    throw new FilterSyntaxError(reason, errorPosition(expression));
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(expression, node);
  return node;
}

/**
 * Whether the record passes. An expression that fails at run time (a function given the wrong
 * type, e.g. starts_with on a number) does not match: a filter is a question about the record,
 * and a record it cannot be asked about is not one the trigger wants.
 */
export function matches(expression: string | null, record: unknown): boolean {
  if (!expression) return true;
  try {
    return truthy(TreeInterpreter.search(parseFilter(expression), (record ?? null) as JSONValue));
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw error;
    return false;
  }
}

function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/**
 * The library reports what it expected but not where, so the position is found by asking it
 * about prefixes. The lexer fails at a character: the shortest failing prefix ends there. The
 * parser reads tokens left to right: a prefix that ends just before token k fails only "at the
 * end" (or parses) while token k is acceptable, so the first token whose inclusion makes the
 * failure happen before the end is the culprit. No failure before the end: the expression is
 * incomplete, and the position is its end.
 */
function errorPosition(expression: string): number {
  let tokens: Array<{ start: number }>;
  try {
    tokens = tokenize(expression) as Array<{ start: number }>;
  } catch {
    for (let end = 1; end <= expression.length; end++) {
      try {
        tokenize(expression.slice(0, end));
      } catch {
        return end - 1;
      }
    }
    return expression.length;
  }
  for (let k = 0; k < tokens.length; k++) {
    const end = k + 1 < tokens.length ? tokens[k + 1]!.start : expression.length;
    if (failsBeforeEnd(expression.slice(0, end))) return tokens[k]!.start;
  }
  return expression.length;
}

function failsBeforeEnd(prefix: string): boolean {
  try {
    compile(prefix);
    return false;
  } catch (error) {
    return !/\bEOF\b/.test((error as Error).message);
  }
}
