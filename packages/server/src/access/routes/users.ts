import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { paginate } from '../../http/pagination.ts';
import { Page, PageQuery, Uuid, problems } from '../../http/schemas.ts';
import type { Users } from '../users.ts';

const UserSchema = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    displayName: Type.String(),
    isTenantAdmin: Type.Boolean(),
    personalFolderId: Uuid,
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'User' },
);

const apiKeyProperties = {
    id: Uuid,
    userId: Uuid,
    name: Type.String(),
    prefix: Type.String({ description: 'The first characters of the key, to tell keys apart.' }),
    createdAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
};
const ApiKeySchema = Type.Object(apiKeyProperties, { $id: 'ApiKey' });
const CreatedApiKeySchema = Type.Object(
  { ...apiKeyProperties, key: Type.String({ description: 'The API key. Store it now: it is never shown again.' }) },
  { $id: 'CreatedApiKey' },
);

const IdParams = Type.Object({ id: Type.String({ description: 'A user id, or `me`.' }) });

export function userRoutes(app: App, users: Users): void {
  app.addSchema(UserSchema);
  app.addSchema(ApiKeySchema);
  app.addSchema(CreatedApiKeySchema);
  const tags = ['Users and API keys'];

  app.get('/api/v1/users', {
    schema: {
      tags, summary: 'List users (tenant administrators see all; others see themselves)',
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('User')), ...problems(400, 401) },
    },
  }, async (request) => paginate(await users.list(request.principal), request.query));

  app.post('/api/v1/users', {
    schema: {
      tags, summary: 'Create a user with a personal workspace (tenant administrators)',
      body: Type.Object({
        email: Type.String({ format: 'email', maxLength: 254 }),
        displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
        isTenantAdmin: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('User'), ...problems(400, 401, 403, 409) },
    },
  }, async (request, reply) => reply.status(201).send(await users.create(request.principal, request.body)));

  app.get('/api/v1/users/:id', {
    schema: { tags, summary: 'Get a user (`me` for yourself)', params: IdParams, response: { 200: Type.Ref('User'), ...problems(401, 404) } },
  }, async (request) => users.get(request.principal, request.params.id));

  app.post('/api/v1/users/:id/api-keys', {
    schema: {
      tags, summary: 'Create an API key; the key is in this response only', params: IdParams,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 120 }),
        expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
      }, { additionalProperties: false }),
      response: {
        201: Type.Ref('CreatedApiKey'),
        ...problems(400, 401, 404),
      },
    },
  }, async (request, reply) => {
    const { key, apiKey } = await users.createApiKey(request.principal, request.params.id, request.body);
    return reply.status(201).send({ ...apiKey, key });
  });

  app.get('/api/v1/users/:id/api-keys', {
    schema: { tags, summary: "List a user's API keys (never the keys themselves)", params: IdParams, response: { 200: Type.Object({ items: Type.Array(Type.Ref('ApiKey')) }), ...problems(401, 404) } },
  }, async (request) => ({ items: await users.listApiKeys(request.principal, request.params.id) }));

  app.delete('/api/v1/users/:id/api-keys/:keyId', {
    schema: {
      tags, summary: 'Revoke an API key', params: Type.Object({ id: Type.String(), keyId: Type.String() }),
      response: { 200: Type.Ref('ApiKey'), ...problems(401, 404) },
    },
  }, async (request) => users.revokeApiKey(request.principal, request.params.id, request.params.keyId));
}
