import type { ValidationError } from './types.ts';

function where(path: string): string {
  return path === '' ? 'the top level' : path;
}

/** One line: Connector "acme" is invalid at /auth/0/type: must be one of ... (enum) */
export function formatValidationError(error: ValidationError): string {
  return `Connector "${error.connector}" is invalid at ${where(error.path)}: ${error.message} (${error.rule})`;
}

/** Thrown when a definition does not validate; the message lists every problem found. */
export class ConnectorDefinitionError extends Error {
  override name = 'ConnectorDefinitionError';
  readonly connector: string;
  readonly errors: readonly ValidationError[];

  constructor(errors: ValidationError[]) {
    const [first, ...rest] = errors;
    if (!first) throw new TypeError('ConnectorDefinitionError needs at least one error');
    super([formatValidationError(first), ...rest.map((e) => `  and at ${where(e.path)}: ${e.message} (${e.rule})`)].join('\n'));
    this.connector = first.connector;
    this.errors = errors;
  }
}
