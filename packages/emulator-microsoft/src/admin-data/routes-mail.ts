/**
 * HTTP admin API for mail, calendar and contact data (mounted under /_emulator with the rest of the admin
 * API, so loopback-only with problem+json errors). Bodies are the in-process API's inputs.
 *   /users/{user}/messages[/{id}]       GET list (?folder=), POST add; GET, PATCH, DELETE one
 *   /users/{user}/mailFolders           GET all folders, POST {displayName, parent?}
 *   /users/{user}/mailboxSettings       GET, PATCH
 *   /mail/transport                     GET everything sent
 *   /users/{user}/events[/{id}]         GET list, POST add; GET, PATCH, DELETE one
 *   /users/{user}/contacts[/{id}]       GET list, POST add; GET, PATCH, DELETE one
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { body } from '../admin-routes.ts';
import type { MicrosoftEmulator } from '../emulator.ts';

const p = (req: FastifyRequest) => req.params as Record<string, string>;
const q = (req: FastifyRequest) => req.query as Record<string, string | undefined>;

export function registerMailAdminRoutes(admin: FastifyInstance, emu: MicrosoftEmulator): void {
  admin.get('/users/:user/messages', async (req) => emu.mail.list(p(req).user!, q(req).folder ? { folder: q(req).folder! } : {}));
  admin.post('/users/:user/messages', async (req, reply) => reply.code(201).send(emu.mail.add(p(req).user!, body(req) as never)));
  admin.get('/users/:user/messages/:id', async (req) => emu.mail.get(p(req).user!, p(req).id!));
  admin.patch('/users/:user/messages/:id', async (req) => emu.mail.update(p(req).user!, p(req).id!, body(req) as never));
  admin.delete('/users/:user/messages/:id', async (req, reply) => {
    emu.mail.remove(p(req).user!, p(req).id!);
    return reply.code(204).send();
  });
  admin.get('/users/:user/mailFolders', async (req) => emu.mail.folders(p(req).user!));
  admin.post('/users/:user/mailFolders', async (req, reply) => reply.code(201).send(emu.mail.addFolder(p(req).user!, body(req) as never)));
  admin.get('/users/:user/mailboxSettings', async (req) => emu.mail.settings(p(req).user!));
  admin.patch('/users/:user/mailboxSettings', async (req) => emu.mail.updateSettings(p(req).user!, body(req)));
  admin.get('/mail/transport', async () => emu.mail.transport());

  admin.get('/users/:user/events', async (req) => emu.calendar.list(p(req).user!));
  admin.post('/users/:user/events', async (req, reply) => reply.code(201).send(emu.calendar.add(p(req).user!, body(req) as never)));
  admin.get('/users/:user/events/:id', async (req) => emu.calendar.get(p(req).user!, p(req).id!));
  admin.patch('/users/:user/events/:id', async (req) => emu.calendar.update(p(req).user!, p(req).id!, body(req) as never));
  admin.delete('/users/:user/events/:id', async (req, reply) => {
    emu.calendar.remove(p(req).user!, p(req).id!);
    return reply.code(204).send();
  });

  admin.get('/users/:user/contacts', async (req) => emu.contacts.list(p(req).user!));
  admin.post('/users/:user/contacts', async (req, reply) => reply.code(201).send(emu.contacts.add(p(req).user!, body(req) as never)));
  admin.get('/users/:user/contacts/:id', async (req) => emu.contacts.get(p(req).user!, p(req).id!));
  admin.patch('/users/:user/contacts/:id', async (req) => emu.contacts.update(p(req).user!, p(req).id!, body(req) as never));
  admin.delete('/users/:user/contacts/:id', async (req, reply) => {
    emu.contacts.remove(p(req).user!, p(req).id!);
    return reply.code(204).send();
  });
}
