import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { problems } from '../../http/schemas.ts';
import { HttpRequestService } from './service.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

const HttpRequestBody = Type.Object(
  {
    method: Type.Union(METHODS.map((m) => Type.Literal(m)), { description: 'The HTTP method.' }),
    path: Type.String({
      minLength: 1,
      maxLength: 8192,
      description: "Relative to the connection's base URL, joined onto its path: with base `https://graph.microsoft.com/v1.0`, `/me` calls `https://graph.microsoft.com/v1.0/me`. May carry a query string. An absolute URL is accepted only on the base URL's origin.",
    }),
    query: Type.Optional(Type.Record(Type.String(), Type.Union([Scalar, Type.Array(Scalar)]), { description: 'Query parameters, added to any in `path`; an array repeats the parameter.' })),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String({ maxLength: 16384 }), {
        description: 'Request headers. Authorization, Cookie, Host, Content-Length and hop-by-hop headers are refused: Switchboard adds the connection\'s credentials itself.',
      }),
    ),
    body: Type.Optional(Type.Unknown({ description: 'The request body: JSON (sent as application/json), a string (text/plain unless Content-Type says otherwise), or base64 bytes with `bodyEncoding: "base64"`.' })),
    bodyEncoding: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('text'), Type.Literal('base64')], { description: 'How `body` is given; defaults to text for strings and JSON otherwise.' })),
  },
  { additionalProperties: false },
);

const HttpResponseSchema = Type.Object(
  {
    status: Type.Integer({ description: "The vendor's status, passed through (a vendor 404 is a 200 of this endpoint with status 404)." }),
    headers: Type.Record(Type.String(), Type.String(), { description: "The vendor's response headers, without hop-by-hop headers and cookies." }),
    body: Type.Unknown({ description: 'JSON as JSON, text as a string, anything else base64; null when empty.' }),
    bodyEncoding: Type.Union([Type.Literal('json'), Type.Literal('text'), Type.Literal('base64'), Type.Literal('none')]),
    meta: Type.Object({
      requestId: Type.String({ description: 'This request\'s id (also in X-Request-Id and the request logs).' }),
      attempts: Type.Integer({ description: 'Requests sent to the vendor: more than 1 after retries or a token renewal.' }),
      durationMs: Type.Integer(),
    }),
  },
  { $id: 'HttpRequestResponse' },
);

/** Vendor headers a streamed answer keeps: those that describe the body, its caching and rate limits. */
const STREAMED_HEADERS = /^(content-(type|length|disposition|encoding|language|range)|accept-ranges|etag|last-modified|cache-control|expires|retry-after|(x-)?ratelimit(-.*)?)$/;

/** Whether the caller asked for the raw body (and not the JSON envelope). */
function wantsStream(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('application/octet-stream') && !accept.includes('application/json');
}

export function httpRequestRoutes(app: App, service: HttpRequestService): void {
  app.addSchema(HttpResponseSchema);
  app.post(
    '/api/v1/connections/:id/http',
    {
      schema: {
        tags: ['HTTP Request'],
        summary: "Send an HTTP request as the connection (HTTP Request activity)",
        description:
          "Calls the connection's API with its credentials added by Switchboard (and renewed when the vendor says they expired), paced by the connector's rate limit and retried on 429/503 (and on network errors and 5xx for idempotent methods), honouring Retry-After. Needs Connections.View on the connection. The vendor's status, headers and body are passed through in a JSON envelope; with `Accept: application/octet-stream` the vendor's body is streamed back as it is instead, with its status and Content-Type (attempts in X-Switchboard-Attempts). Problems are returned only when there is no vendor answer to pass through: the connection is not usable, the request is invalid, the vendor could not be reached, timed out (TIMEOUT) or sent a body too large to buffer (RESPONSE_TOO_LARGE).",
        params: Type.Object({ id: Type.String() }),
        body: HttpRequestBody,
        response: {
          200: {
            description: "The vendor's answer.",
            content: {
              'application/json': { schema: Type.Ref('HttpRequestResponse') },
              'application/octet-stream': { schema: Type.String({ format: 'binary', description: "The vendor's body as it is (with Accept: application/octet-stream)." }) },
            },
          },
          ...problems(400, 401, 403, 404, 429, 502, 503, 504),
        },
      },
    },
    async (request, reply) => {
      const stream = wantsStream(request.headers.accept);
      const response = await service.send(request.principal, request.params.id, request.body, { requestId: request.id, stream });
      if (!stream || !response.stream) return HttpRequestService.envelope(response, request.id);
      // The vendor's status is passed through, whatever the route's documented statuses are.
      reply.code(response.status as 200);
      for (const [name, value] of Object.entries(response.headers)) if (STREAMED_HEADERS.test(name)) reply.header(name, value);
      if (!response.headers['content-type']) reply.header('content-type', 'application/octet-stream');
      reply.header('x-switchboard-attempts', String(response.attempts));
      if (request.body.method === 'HEAD' || response.status === 204 || response.status === 304) {
        // No body goes out with these, so nothing would read the stream: drain it to end the call.
        response.stream.resume();
        return reply.send();
      }
      return reply.send(response.stream);
    },
  );
}
