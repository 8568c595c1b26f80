/**
 * HTTP admin API for drives, workbooks, sites, Graph faults and the change log. A drive is
 * `users/{user}/drive` or `sites/{site-id}/drive`; items are named by `?path=/a/b.txt` or `?id=`.
 *   .../drive/items            GET (?path= folder, &recursive=true), DELETE (?path= | ?id=)
 *   .../drive/content          GET bytes, PUT bytes (raw body, any content type) at ?path=
 *   .../drive/folders          POST {path}
 *   .../drive/workbooks        PUT {path, worksheets, tables}, GET ?path= (the grids)
 *   /tenants/{tenant}/sites    GET, POST {path, displayName, lists?}
 *   /sites/{site}/lists        GET, POST {displayName, columns, items?}
 *   /sites/{site}/lists/{list}/items[/{id}]   GET, POST fields; PATCH fields, DELETE
 *   /faults/graph-throttling   POST {count, status, retryAfterSeconds, path, method, cloud}
 *   /settings/graph-latency    GET, PUT [{ms, path?, cloud?}]
 *   /changes                   GET ?user=&resource=&container=&since=
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { body } from '../admin-routes.ts';
import { rawBody } from '../body.ts';
import type { MicrosoftEmulator } from '../emulator.ts';
import { InputError } from '../input.ts';
import type { DriveOwnerRef } from './files-admin.ts';

const p = (req: FastifyRequest) => req.params as Record<string, string>;
const q = (req: FastifyRequest) => req.query as Record<string, string | undefined>;

function itemRef(req: FastifyRequest): string {
  const { path, id } = q(req);
  const ref = id ?? path;
  if (!ref) throw new InputError('name the item with ?path=/... or ?id=...');
  return ref;
}

function registerDrive(admin: FastifyInstance, emu: MicrosoftEmulator, prefix: string, owner: (req: FastifyRequest) => DriveOwnerRef): void {
  admin.get(`${prefix}/drive/items`, async (req) => {
    const { path, recursive, id } = q(req);
    if (id) return emu.files.get(owner(req), id);
    return emu.files.list(owner(req), { ...(path ? { path } : {}), recursive: recursive === 'true' });
  });
  admin.delete(`${prefix}/drive/items`, async (req, reply) => {
    emu.files.remove(owner(req), itemRef(req));
    return reply.code(204).send();
  });
  admin.get(`${prefix}/drive/content`, async (req, reply) => reply.type('application/octet-stream').send(emu.files.read(owner(req), itemRef(req))));
  admin.put(`${prefix}/drive/content`, async (req) => {
    const path = q(req).path;
    if (!path) throw new InputError('PUT content needs ?path=/folder/name.ext');
    return emu.files.put(owner(req), path, rawBody(req));
  });
  admin.post(`${prefix}/drive/folders`, async (req, reply) => {
    const path = body(req).path;
    if (typeof path !== 'string') throw new InputError('body.path is required');
    return reply.code(201).send(emu.files.mkdir(owner(req), path));
  });
  admin.put(`${prefix}/drive/workbooks`, async (req) => {
    const { path, ...workbook } = body(req);
    if (typeof path !== 'string') throw new InputError('body.path is required');
    return emu.files.putWorkbook(owner(req), path, workbook);
  });
  admin.get(`${prefix}/drive/workbooks`, async (req) => emu.files.workbook(owner(req), itemRef(req)));
}

export function registerFilesAdminRoutes(admin: FastifyInstance, emu: MicrosoftEmulator): void {
  registerDrive(admin, emu, '/users/:user', (req) => p(req).user!);
  registerDrive(admin, emu, '/sites/:site', (req) => ({ site: p(req).site! }));

  admin.get('/tenants/:tenant/sites', async (req) => emu.sites.sites(p(req).tenant!));
  admin.post('/tenants/:tenant/sites', async (req, reply) => reply.code(201).send(emu.sites.add(p(req).tenant!, body(req) as never)));
  admin.get('/sites/:site/lists', async (req) => emu.sites.lists(p(req).site!));
  admin.post('/sites/:site/lists', async (req, reply) => reply.code(201).send(emu.sites.addList(p(req).site!, body(req) as never)));
  admin.get('/sites/:site/lists/:list/items', async (req) => emu.sites.items(p(req).site!, p(req).list!));
  admin.post('/sites/:site/lists/:list/items', async (req, reply) => reply.code(201).send(emu.sites.addItem(p(req).site!, p(req).list!, body(req))));
  admin.patch('/sites/:site/lists/:list/items/:id', async (req) => emu.sites.updateItem(p(req).site!, p(req).list!, p(req).id!, body(req)));
  admin.delete('/sites/:site/lists/:list/items/:id', async (req, reply) => {
    emu.sites.removeItem(p(req).site!, p(req).list!, p(req).id!);
    return reply.code(204).send();
  });

  admin.post('/faults/graph-throttling', async (req, reply) => {
    emu.failGraphRequests(body(req) as never);
    return reply.code(204).send();
  });
  admin.get('/settings/graph-latency', async () => emu.graphLatency());
  admin.put('/settings/graph-latency', async (req) => {
    const b = req.body;
    emu.setGraphLatency((Array.isArray(b) ? b : body(req)) as never);
    return emu.graphLatency();
  });

  admin.get('/changes', async (req) => {
    const { user, resource, container, since } = q(req);
    const sinceNumber = since === undefined ? undefined : Number(since);
    if (sinceNumber !== undefined && !Number.isInteger(sinceNumber)) throw new InputError('since must be an integer');
    return { latest: emu.latestChange, changes: emu.changes({ ...(user ? { user } : {}), ...(resource ? { resource: resource as never } : {}), ...(container ? { container } : {}), ...(sinceNumber !== undefined ? { since: sinceNumber } : {}) }) };
  });
}
