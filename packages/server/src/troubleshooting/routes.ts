import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.ts';
import { Uuid, problems } from '../http/schemas.ts';
import type { DebugSessions } from './debug.ts';
import type { RequestLogs } from './request-logs.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const entry = {
  id: Uuid,
  at: Type.String({ format: 'date-time' }),
  requestId: Type.String({ description: 'Correlation id of the API request (or trigger run) that made the call; also in its X-Request-Id header.' }),
  folderId: Uuid,
  connectionId: Uuid,
  connector: Type.String(),
  kind: Type.String({ description: 'activity, http-request, trigger or identity.' }),
  operation: Type.String({ description: 'The activity, trigger or operation that made the call.' }),
  method: Type.String(),
  url: Type.String({ description: 'The vendor URL with secret query parameters replaced by [redacted].' }),
  status: Nullable(Type.Integer({ description: "The vendor's status; null when there was no response." })),
  errorCode: Nullable(Type.String()),
  durationMs: Type.Integer(),
  attempts: Type.Integer(),
  requestBytes: Type.Integer(),
  responseBytes: Type.Integer(),
  hasBodies: Type.Boolean({ description: 'Bodies were kept (debug was on for the connection) and have not expired.' }),
};

const RequestLogSchema = Type.Object(entry, { $id: 'RequestLog' });
const RequestLogDetailSchema = Type.Object(
  {
    ...entry,
    requestBody: Nullable(Type.String({ description: 'Redacted and size-capped; only while debug was on, for one day.' })),
    responseBody: Nullable(Type.String()),
    bodiesTruncated: Type.Boolean(),
    bodiesWithheld: Type.Boolean({ description: 'Bodies exist but reading them needs Connections.Edit in the folder.' }),
  },
  { $id: 'RequestLogDetail' },
);
const DebugSchema = Type.Object(
  {
    connectionId: Uuid,
    enabled: Type.Boolean(),
    until: Nullable(Type.String({ format: 'date-time', description: 'When debug turns itself off.' })),
  },
  { $id: 'ConnectionDebug' },
);

export function troubleshootingRoutes(app: App, deps: { logs: RequestLogs; debug: DebugSessions }): void {
  app.addSchema(RequestLogSchema);
  app.addSchema(RequestLogDetailSchema);
  app.addSchema(DebugSchema);
  const tags = ['Troubleshooting'];
  const IdParams = Type.Object({ id: Type.String() });

  app.get('/api/v1/logs', {
    schema: {
      tags,
      summary: 'Request logs: every vendor call, newest first, in the folders you can see',
      querystring: Type.Object({
        connectionId: Type.Optional(Type.String()),
        connector: Type.Optional(Type.String({ maxLength: 100 })),
        folderId: Type.Optional(Uuid),
        status: Type.Optional(Type.String({ pattern: '^([1-5]\\d\\d|[1-5][xX][xX]|error)$', description: 'An exact status (404), a class (4xx), or `error` for every failed call.' })),
        errorCode: Type.Optional(Type.String({ maxLength: 100 })),
        requestId: Type.Optional(Type.String({ maxLength: 128 })),
        from: Type.Optional(Type.String({ description: 'ISO 8601 date or date-time, inclusive.' })),
        to: Type.Optional(Type.String({ description: 'ISO 8601 date or date-time, exclusive.' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        cursor: Type.Optional(Type.String()),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('RequestLog')), nextCursor: Nullable(Type.String()) }), ...problems(400, 401, 404) },
    },
  }, async (request) => deps.logs.list(request.principal, request.query));

  app.get('/api/v1/logs/:id', {
    schema: {
      tags,
      summary: 'One request log entry, with its redacted bodies when debug was on',
      params: IdParams,
      response: { 200: Type.Ref('RequestLogDetail'), ...problems(401, 404) },
    },
  }, async (request) => deps.logs.get(request.principal, request.params.id));

  app.get('/api/v1/connections/:id/debug', {
    schema: { tags, summary: 'Whether debug (keeping request and response bodies) is on for a connection', params: IdParams, response: { 200: Type.Ref('ConnectionDebug'), ...problems(401, 404) } },
  }, async (request) => deps.debug.get(request.principal, request.params.id));

  app.put('/api/v1/connections/:id/debug', {
    schema: {
      tags,
      summary: "Turn debug on or off for a connection: while on, its calls' bodies are kept (redacted) in the request logs",
      description: 'Needs Connections.Edit. Debug turns itself off after `minutes` (default 60); bodies are deleted after one day.',
      params: IdParams,
      body: Type.Object({
        enabled: Type.Boolean(),
        minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, description: 'How long debug stays on; default 60.' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('ConnectionDebug'), ...problems(400, 401, 403, 404) },
    },
  }, async (request) => deps.debug.set(request.principal, request.params.id, request.body));
}
