import { lookupErrorCode } from './catalog.ts';

export interface FieldError {
  /** JSON Pointer into the request, e.g. `/body/fields/tenantId`. */
  path: string;
  message: string;
  rule?: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/**
 * An RFC 9457 problem. Throw it anywhere below a route; the HTTP layer renders it as
 * `application/problem+json`. The code decides the status and title, so the same code
 * always reads the same.
 */
export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;

  constructor(code: string, detail: string, options: { status?: number; errors?: FieldError[]; extensions?: Record<string, unknown> } = {}) {
    super(detail);
    const entry = lookupErrorCode(code);
    if (!entry) throw new Error(`Unregistered error code ${code}`);
    this.name = 'Problem';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.title = entry.title;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
  }

  toJSON(requestId?: string): ProblemDetails {
    return {
      ...this.extensions,
      type: problemTypeUri(this.code),
      title: this.title,
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(requestId ? { requestId } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

/** Problem types resolve to the error catalog entry, which says what the code means and how to fix it. */
export function problemTypeUri(code: string): string {
  return `/api/v1/errors#${code}`;
}

export const notFound = (what: string) => new Problem('NOT_FOUND', `${what} was not found.`);
export const forbidden = (permission: string, where: string) =>
  new Problem('FORBIDDEN', `You need the ${permission} permission ${where}.`, { extensions: { permission } });
