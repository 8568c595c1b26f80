import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.ts';
import { paginate } from '../../http/pagination.ts';
import { Page, PageQuery, Uuid, problems } from '../../http/schemas.ts';
import type { Folders } from '../folders.ts';
import { FOLDER_NAME_PATTERN } from '../folders.ts';
import { PERMISSIONS, ROLES } from '../permissions.ts';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)), { description: 'Folder role.' });

const FolderSchema = Type.Object(
  {
    id: Uuid,
    parentId: Type.Union([Uuid, Type.Null()]),
    name: Type.String(),
    kind: Type.Union([Type.Literal('shared'), Type.Literal('personal')]),
    ownerId: Type.Union([Uuid, Type.Null()], { description: 'Owner of a personal workspace.' }),
    fullyQualifiedName: Type.String({ examples: ['Finance/Invoices'] }),
    role: Type.Union([RoleSchema, Type.Null()], { description: "The caller's effective role here." }),
    permissions: Type.Array(Type.Union(PERMISSIONS.map((p) => Type.Literal(p)))),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Folder' },
);

const MemberSchema = Type.Object(
  { userId: Uuid, email: Type.String(), displayName: Type.String(), role: RoleSchema },
  { $id: 'FolderMember' },
);

const FolderName = Type.String({ minLength: 1, maxLength: 120, pattern: FOLDER_NAME_PATTERN, description: 'Folder name; "/" is not allowed.' });
const IdParams = Type.Object({ id: Type.String() });

export function folderRoutes(app: App, folders: Folders): void {
  app.addSchema(FolderSchema);
  app.addSchema(MemberSchema);
  const tags = ['Folders'];

  app.get('/api/v1/folders', {
    schema: {
      tags, summary: 'List the folders you have a role in',
      querystring: Type.Object({ ...PageQuery, kind: Type.Optional(Type.Union([Type.Literal('shared'), Type.Literal('personal')])) }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('Folder')), ...problems(400, 401) },
    },
  }, async (request) => {
    const all = await folders.listVisible(request.principal);
    return paginate(request.query.kind ? all.filter((f) => f.kind === request.query.kind) : all, request.query);
  });

  app.post('/api/v1/folders', {
    schema: {
      tags, summary: 'Create a shared folder (top level: tenant administrators; subfolder: Folders.Manage on the parent)',
      body: Type.Object({ name: FolderName, parentId: Type.Optional(Type.Union([Uuid, Type.Null()])) }, { additionalProperties: false }),
      response: { 201: Type.Ref('Folder'), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => reply.status(201).send(await folders.create(request.principal, request.body)));

  app.get('/api/v1/folders/:id', {
    schema: { tags, summary: 'Get a folder', params: IdParams, response: { 200: Type.Ref('Folder'), ...problems(401, 404) } },
  }, async (request) => folders.get(request.principal, request.params.id));

  app.patch('/api/v1/folders/:id', {
    schema: {
      tags, summary: 'Rename or move a shared folder (Folders.Manage)', params: IdParams,
      body: Type.Object({ name: Type.Optional(FolderName), parentId: Type.Optional(Type.Union([Uuid, Type.Null()])) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: Type.Ref('Folder'), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => folders.update(request.principal, request.params.id, request.body));

  app.delete('/api/v1/folders/:id', {
    schema: { tags, summary: 'Delete an empty shared folder (Folders.Manage)', params: IdParams, response: { 204: Type.Null(), ...problems(401, 403, 404, 409) } },
  }, async (request, reply) => {
    await folders.delete(request.principal, request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/folders/:id/members', {
    schema: { tags, summary: 'List folder members', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Type.Ref('FolderMember')) }), ...problems(401, 404) } },
  }, async (request) => ({ items: await folders.listMembers(request.principal, request.params.id) }));

  const MemberParams = Type.Object({ id: Type.String(), userId: Type.String() });
  app.put('/api/v1/folders/:id/members/:userId', {
    schema: {
      tags, summary: "Give a user a role in a folder, or change it (Folders.Manage)", params: MemberParams,
      body: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
      response: { 200: Type.Ref('FolderMember'), ...problems(400, 401, 403, 404, 409) },
    },
  }, async (request) => folders.setMember(request.principal, request.params.id, request.params.userId, request.body.role));

  app.delete('/api/v1/folders/:id/members/:userId', {
    schema: { tags, summary: 'Remove a user from a folder (Folders.Manage)', params: MemberParams, response: { 204: Type.Null(), ...problems(401, 403, 404) } },
  }, async (request, reply) => {
    await folders.removeMember(request.principal, request.params.id, request.params.userId);
    return reply.status(204).send(null);
  });
}
