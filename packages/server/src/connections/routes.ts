import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../http/app.ts';
import { Uuid, problems } from '../http/schemas.ts';
import type { AuthorizationFlow } from './authorization-flow.ts';
import { resultPage } from './callback-page.ts';
import type { Connections, CreateResult } from './service.ts';

const Status = Type.Union([Type.Literal('Pending'), Type.Literal('Connected'), Type.Literal('Disabled')]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const ConnectionSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    connector: Type.String({ description: 'Connector key.' }),
    connectorVersion: Type.String(),
    folderId: Uuid,
    authType: Type.String({ description: 'Canonical auth type; fixed at creation.' }),
    account: Nullable(Type.String({ description: 'The connection account, e.g. the mailbox address.' })),
    accountId: Nullable(Type.String()),
    status: Status,
    disabledReason: Nullable(Type.String({ description: 'Why the connection is Disabled, e.g. refresh_token_revoked.' })),
    statusMessage: Nullable(Type.String({ description: 'What to do about the status, for people.' })),
    isDefault: Type.Boolean({ description: 'The default connection of its connector in its folder.' }),
    owner: Type.Object({ id: Uuid, email: Nullable(Type.String()) }),
    environment: Nullable(Type.String()),
    fields: Type.Record(Type.String(), Type.Unknown(), { description: 'Non-secret field values. Secret values are never returned.' }),
    grantedScopes: Type.Array(Type.String()),
    pollingIntervalMinutes: Type.Integer(),
    tokenExpiresAt: Nullable(Type.String({ format: 'date-time' })),
    lastRefreshedAt: Nullable(Type.String({ format: 'date-time' })),
    lastCheck: Nullable(Type.Object({ at: Type.String({ format: 'date-time' }), ok: Type.Boolean(), message: Nullable(Type.String()) })),
    lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Connection' },
);

const PendingSchema = Type.Object(
  {
    id: Uuid,
    status: Type.Literal('Pending'),
    authorizationUrl: Type.String({ description: 'Open this URL in a browser to consent; it is valid for 10 minutes, once.' }),
  },
  { $id: 'PendingConnection' },
);

const ReturnTo = Type.String({ pattern: '^/(?![/\\\\])', maxLength: 2000, description: 'A path of this service to send the browser to after consent (e.g. a console page).' });
const Fields = Type.Record(Type.String(), Type.Unknown(), { description: "Values for the connector's fields of this auth type (see GET /api/v1/connectors/{key})." });

export function connectionRoutes(
  app: App,
  connections: Connections,
  flow: AuthorizationFlow,
  /** The console user signed in on the browser that reached the callback, to bind the consent to them. */
  sessionUserId: (request: FastifyRequest) => Promise<string | undefined> = async () => undefined,
): void {
  app.addSchema(ConnectionSchema);
  app.addSchema(PendingSchema);
  const tags = ['Connections'];
  const IdParams = Type.Object({ id: Type.String() });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the reply's type differs per route schema
  const answer = (result: CreateResult, reply: any, connectedStatus: number) =>
    result.kind === 'pending'
      ? reply.status(202).send({ id: result.id, status: result.status, authorizationUrl: result.authorizationUrl })
      : reply.status(connectedStatus).send(result.connection);

  app.post('/api/v1/connections', {
    schema: {
      tags,
      summary: 'Create a connection',
      description: 'Browser-based auth types (OAuth authorization code, bring your own app) answer 202 with an authorizationUrl; the connection becomes Connected when the vendor redirects back. Every other auth type is verified at once (token and identity) and answers 201 Connected; if the vendor refuses, nothing is created.',
      body: Type.Object({
        folderId: Uuid,
        connector: Type.String({ minLength: 1, maxLength: 100 }),
        authType: Type.Optional(Type.String({ description: 'Defaults to the connector\'s default auth type.' })),
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        fields: Type.Optional(Fields),
        returnTo: Type.Optional(ReturnTo),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('Connection'), 202: Type.Ref('PendingConnection'), ...problems(400, 401, 403, 404, 502) },
    },
  }, async (request, reply) => answer(await connections.create(request.principal, request.body), reply, 201));

  app.get('/api/v1/connections', {
    schema: {
      tags, summary: 'List connections in the folders you can see',
      querystring: Type.Object({
        folderId: Type.Optional(Uuid),
        connector: Type.Optional(Type.String()),
        status: Type.Optional(Status),
        defaultsOnly: Type.Optional(Type.Boolean({ description: 'Only the default connection of each connector per folder.' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        cursor: Type.Optional(Type.String()),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('Connection')), nextCursor: Nullable(Type.String()) }), ...problems(400, 401, 404) },
    },
  }, async (request) => connections.list(request.principal, request.query));

  app.get('/api/v1/connections/:id', {
    schema: { tags, summary: 'Get a connection (never its secrets)', params: IdParams, response: { 200: Type.Ref('Connection'), ...problems(401, 404) } },
  }, async (request) => connections.get(request.principal, request.params.id));

  app.patch('/api/v1/connections/:id', {
    schema: {
      tags, summary: 'Rename, make default, or set the polling interval', params: IdParams,
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        isDefault: Type.Optional(Type.Boolean()),
        pollingIntervalMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: Type.Ref('Connection'), ...problems(400, 401, 403, 404) },
    },
  }, async (request) => connections.update(request.principal, request.params.id, request.body));

  app.delete('/api/v1/connections/:id', {
    schema: {
      tags, summary: "Delete a connection: revokes its tokens where the vendor supports it and deletes its triggers", params: IdParams,
      response: { 200: Type.Object({ deleted: Type.Boolean(), tokensRevoked: Type.Boolean() }), ...problems(401, 403, 404) },
    },
  }, async (request) => {
    const { revoked } = await connections.delete(request.principal, request.params.id);
    return { deleted: true, tokensRevoked: revoked };
  });

  app.post('/api/v1/connections/:id/check', {
    schema: { tags, summary: 'Check connection: renew the token if needed, call the identity endpoint, record the result', params: IdParams, response: { 200: Type.Ref('Connection'), ...problems(401, 403, 404) } },
  }, async (request) => connections.check(request.principal, request.params.id));

  app.post('/api/v1/connections/:id/reconnect', {
    schema: {
      tags, summary: 'Reconnect: re-run authentication on the same connection (same id, triggers and default flag)', params: IdParams,
      body: Type.Optional(Type.Object({ fields: Type.Optional(Fields), returnTo: Type.Optional(ReturnTo) }, { additionalProperties: false })),
      response: { 200: Type.Ref('Connection'), 202: Type.Ref('PendingConnection'), ...problems(400, 401, 403, 404, 502) },
    },
  }, async (request, reply) => answer(await connections.reconnect(request.principal, request.params.id, request.body ?? {}), reply, 200));

  app.get('/api/v1/oauth/callback', {
    config: { public: true },
    schema: {
      tags, summary: 'OAuth redirect URI: where the vendor sends the browser after consent', security: [],
      description: 'Register `{PUBLIC_URL}/api/v1/oauth/callback` as the redirect URI of your app. Redirects to the console page that started the flow, or shows a result page. Ask for `Accept: application/json` to get JSON instead.',
      querystring: Type.Object({ state: Type.Optional(Type.String()), code: Type.Optional(Type.String()), error: Type.Optional(Type.String()), error_description: Type.Optional(Type.String()) }, { additionalProperties: true }),
    },
  }, async (request, reply) => {
    const params = new URLSearchParams(request.url.slice(request.url.indexOf('?') + 1));
    const outcome = await flow.complete(params, await sessionUserId(request));
    const wantsJson = (request.headers.accept ?? '').includes('application/json');
    if (outcome.returnTo && !wantsJson) {
      const target = new URL(outcome.returnTo, 'http://x');
      if (outcome.connection) {
        target.searchParams.set('connectionId', outcome.connection.id);
        target.searchParams.set('status', outcome.connection.status);
      } else if (outcome.problem) {
        target.searchParams.set('error', outcome.problem.code);
        target.searchParams.set('message', outcome.problem.message);
        const id = outcome.problem.extensions.connectionId;
        if (typeof id === 'string') target.searchParams.set('connectionId', id);
        // The vendor's own code (AADSTS65004...) is what people search for and what support asks.
        const vendorCode = outcome.problem.extensions.vendorCode;
        if (typeof vendorCode === 'string') target.searchParams.set('vendorCode', vendorCode);
      }
      return reply.redirect(target.pathname + target.search, 303);
    }
    if (outcome.connection) {
      if (wantsJson) return reply.send(outcome.connection);
      return reply.type('text/html; charset=utf-8').send(resultPage({ ok: true, title: 'Connected', lines: [`${outcome.connection.name} is connected${outcome.connection.account ? ` as ${outcome.connection.account}` : ''}.`] }));
    }
    const problem = outcome.problem!;
    if (wantsJson) return reply.status(problem.status).type('application/problem+json').send(problem.toJSON(request.id));
    const vendor = [problem.extensions.vendorCode, problem.extensions.vendorError].filter(Boolean).join(' / ');
    return reply
      .status(problem.status)
      .type('text/html; charset=utf-8')
      .send(resultPage({ ok: false, title: 'The connection was not completed', lines: [problem.message, ...(vendor ? [`Vendor error: ${vendor}${problem.extensions.vendorMessage ? ` - ${String(problem.extensions.vendorMessage)}` : ''}`] : []), `Error code: ${problem.code}`] }));
  });
}
