/**
 * Graph's error body: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`
 * (reference doc, section 3), plus the codes and messages the emulated routes use.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestInfo } from '../context.ts';
import { graphDate } from '../ids.ts';

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Extra innerError members some services add (throttling repeats code and status there). */
    readonly inner: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

/** Graph answers JSON with OData metadata parameters; clients only look for `json`. */
export const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function sendGraphError(req: FastifyRequest, reply: FastifyReply, err: GraphError, nowMs: number): FastifyReply {
  const info = requestInfo(req);
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply
    .code(err.status)
    .type(ODATA_JSON)
    .send({
      error: {
        code: err.code,
        message: err.message,
        innerError: { ...err.inner, date: graphDate(nowMs), 'request-id': info.requestId, 'client-request-id': info.clientRequestId },
      },
    });
}

export const GraphErrors = {
  tokenEmpty: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.'),
  tokenExpired: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.'),
  tokenMalformed: () => new GraphError(401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217'),
  tokenInvalid: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.'),
  invalidAudience: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'),
  delegatedOnly: () => new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.'),
  accessDenied: () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  resourceNotFound: (id: string) =>
    new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  segmentNotFound: (segment: string) => new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  invalidVersion: (version: string) => new GraphError(400, 'BadRequest', `Invalid version: ${version}`),
  unknownProperty: (property: string, type: string) =>
    new GraphError(400, 'BadRequest', `Could not find a property named '${property}' on type '${type}'.`),
  badRequest: (message: string) => new GraphError(400, 'BadRequest', message),
  /** Graph's answer to a body it cannot parse as JSON. */
  invalidJson: () =>
    new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'),
  /** As in the JSON batching documentation's sample (status 405 for a method the target lacks). */
  methodNotAllowed: () => new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  invalidFilter: (detail: string) => new GraphError(400, 'BadRequest', `Invalid filter clause: ${detail}`),
  invalidOrderBy: (detail: string) => new GraphError(400, 'BadRequest', `Invalid $orderby clause: ${detail}`),
  /** The throttling response of the reference doc (section 3, "Throttling"). */
  tooManyRequests: (retryAfterSeconds: number) =>
    new GraphError(429, 'TooManyRequests', 'Please retry again later.', { 'retry-after': String(retryAfterSeconds) }, { code: '429', message: 'Please retry after', status: '429' }),
  serviceUnavailable: (retryAfterSeconds: number) =>
    new GraphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry after the delay in the Retry-After header.', {
      'retry-after': String(retryAfterSeconds),
    }),
  invalidQueryValue: (option: string, value: string) =>
    new GraphError(400, 'BadRequest', `Invalid value '${value}' for query option '${option}'.`),
};
