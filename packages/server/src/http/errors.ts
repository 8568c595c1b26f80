import type { FastifyError } from 'fastify';
import { type FieldError, Problem } from '../problems/problem.ts';

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns anything thrown below a route into a problem; unknown errors become a bare 500 with no details. */
export function problemFromError(error: unknown): Problem {
  if (error instanceof Problem) return error;
  const e = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (e.validation) {
    const errors = e.validation.map((v) => fieldError(e.validationContext ?? 'body', v));
    const first = errors[0];
    return new Problem('VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : 'The request is not valid.', { errors });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new Problem('MALFORMED_JSON', e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'The body is empty but Content-Type says JSON.' : 'The body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem('PAYLOAD_TOO_LARGE', 'The request body is larger than this service accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
  }
  if (e instanceof SyntaxError && e.statusCode === 400) return new Problem('MALFORMED_JSON', 'The body is not valid JSON.');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 && e.statusCode !== 404) {
    return new Problem('VALIDATION_FAILED', 'The request is not valid.', { status: e.statusCode });
  }
  return new Problem('INTERNAL_ERROR', 'The service failed to handle this request.');
}

function fieldError(part: string, v: AjvError): FieldError {
  let path = `/${part}${v.instancePath}`;
  let message = v.message ?? 'is not valid';
  if (v.keyword === 'required') {
    path += `/${String(v.params.missingProperty)}`;
    message = 'is required';
  } else if (v.keyword === 'additionalProperties') {
    path += `/${String(v.params.additionalProperty)}`;
    message = 'is not a known property';
  } else if (v.keyword === 'enum' && Array.isArray(v.params.allowedValues)) {
    message = `must be one of ${v.params.allowedValues.map((x) => JSON.stringify(x)).join(', ')}`;
  }
  return { path, message, rule: v.keyword };
}
