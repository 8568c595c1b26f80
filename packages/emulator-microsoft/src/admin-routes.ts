/**
 * The HTTP admin API under /_emulator on the global listener: JSON in, JSON out, errors as
 * RFC 9457 problem details. It is deliberately unauthenticated — it exists for tests and local
 * development — and therefore refuses any caller that is not on the loopback interface, even
 * when the emulator was bound to a wider address.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidJsonBody } from './body.ts';
import { ConsentError, type ConsentOptions } from './consent-driver.ts';
import type { MicrosoftEmulator } from './emulator.ts';
import { InputError, object, optionalString, requiredString, type Json } from './input.ts';
import type { RequestLogFilter } from './request-log.ts';
import { registerFilesAdminRoutes } from './admin-data/routes-files.ts';
import { registerMailAdminRoutes } from './admin-data/routes-mail.ts';
import { registerSubscriptionAdminRoutes } from './admin-data/routes-subscriptions.ts';

function problem(reply: FastifyReply, status: number, code: string, detail: string): FastifyReply {
  return reply.code(status).type('application/problem+json').send({
    type: `urn:switchboard:emulator-microsoft:${code}`,
    title: status === 404 ? 'Not found' : status === 403 ? 'Forbidden' : 'Invalid emulator admin request',
    status,
    detail,
    code,
  });
}

function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/** The JSON body as an object (`{}` when absent); invalid JSON is a 400. */
export function body(req: FastifyRequest): Json {
  if (req.body instanceof InvalidJsonBody) throw new InputError(`body is not valid JSON: ${req.body.reason}`);
  return req.body === undefined || req.body === null ? {} : object(req.body, 'body');
}

function logFilter(req: FastifyRequest): RequestLogFilter {
  const q = req.query as Record<string, unknown>;
  const filter: RequestLogFilter = {};
  for (const key of ['cloud', 'host', 'method', 'path', 'grantType', 'clientId'] as const) {
    if (typeof q[key] === 'string') filter[key] = q[key] as string;
  }
  return filter;
}

export function registerAdminRoutes(app: FastifyInstance, emulator: MicrosoftEmulator): void {
  app.register(
    async (admin) => {
      admin.addHook('onRequest', async (req, reply) => {
        if (!isLoopback(req.socket.remoteAddress)) return problem(reply, 403, 'not_loopback', 'The emulator admin API only answers loopback callers.');
      });
      admin.setErrorHandler((error: Error & { statusCode?: number }, _req, reply) => {
        if (error instanceof InputError) return problem(reply, error.status, error.code, error.message);
        if (error instanceof ConsentError) return problem(reply, 400, 'consent_failed', error.message);
        const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
        return problem(reply, status, status === 500 ? 'internal_error' : 'invalid_request', error.message);
      });
      admin.setNotFoundHandler((req, reply) => problem(reply, 404, 'not_found', `No admin route ${req.method} ${req.url}`));

      admin.get('/', async () => emulator.describe());
      admin.get('/state', async () => emulator.snapshot());
      admin.post('/reset', async () => {
        emulator.reset();
        return { reset: true };
      });

      admin.put('/tenants', async (req) => emulator.upsertTenant(body(req) as never));
      admin.delete('/tenants/:tenant', async (req, reply) => {
        emulator.removeTenant((req.params as { tenant: string }).tenant);
        return reply.code(204).send();
      });
      admin.put('/users', async (req) => emulator.upsertUser(body(req) as never));
      admin.delete('/users/:user', async (req, reply) => {
        emulator.removeUser((req.params as { user: string }).user);
        return reply.code(204).send();
      });
      admin.put('/apps', async (req) => emulator.upsertApp(body(req) as never));
      admin.delete('/apps/:clientId', async (req, reply) => {
        emulator.removeApp((req.params as { clientId: string }).clientId);
        return reply.code(204).send();
      });
      admin.put('/apps/:clientId/application-permissions/:tenant', async (req) => {
        const { clientId, tenant } = req.params as { clientId: string; tenant: string };
        return emulator.setApplicationPermissions(clientId, tenant, body(req).permissions as string[]);
      });
      admin.post('/apps/:clientId/consents', async (req, reply) => {
        emulator.grantDelegatedConsent((req.params as { clientId: string }).clientId, body(req) as never);
        return reply.code(204).send();
      });
      admin.delete('/apps/:clientId/consents', async (req, reply) => {
        emulator.revokeDelegatedConsent((req.params as { clientId: string }).clientId, req.query as never);
        return reply.code(204).send();
      });

      admin.get('/settings/tokens', async () => emulator.getTokenSettings());
      admin.put('/settings/tokens', async (req) => emulator.setTokenSettings(body(req) as never));

      admin.get('/faults', async () => emulator.faults());
      admin.delete('/faults', async (_req, reply) => {
        emulator.clearFaults();
        return reply.code(204).send();
      });
      admin.post('/faults/token-failures', async (req, reply) => {
        emulator.failTokenRequests(body(req) as never);
        return reply.code(204).send();
      });
      admin.post('/faults/consent-error', async (req, reply) => {
        emulator.injectConsentError(body(req) as never);
        return reply.code(204).send();
      });
      admin.post('/faults/revoke-refresh-tokens', async (req) => ({ revoked: emulator.revokeRefreshTokens(body(req) as never) }));
      admin.post('/faults/mfa', async (req, reply) => {
        const b = body(req);
        const required = b.required === undefined ? true : b.required;
        if (typeof required !== 'boolean') throw new InputError('body.required must be a boolean');
        emulator.requireMfa(requiredString(b, 'user', 'body'), required);
        return reply.code(204).send();
      });

      admin.get('/requests', async (req) => emulator.requests(logFilter(req)));
      admin.delete('/requests', async (_req, reply) => {
        emulator.clearRequests();
        return reply.code(204).send();
      });
      admin.get('/tokens', async (req) => emulator.tokenStats(logFilter(req)));
      admin.post('/tokens', async (req) => ({ access_token: await emulator.issueAccessToken(body(req) as never) }));

      admin.get('/clock', async () => ({ now: new Date(emulator.now()).toISOString() }));
      admin.post('/clock/advance', async (req) => {
        const seconds = body(req).seconds;
        if (typeof seconds !== 'number') throw new InputError('body.seconds must be a number');
        return { now: new Date(emulator.advanceClock(seconds)).toISOString() };
      });

      registerMailAdminRoutes(admin, emulator);
      registerFilesAdminRoutes(admin, emulator);
      registerSubscriptionAdminRoutes(admin, emulator);

      admin.post('/consent', async (req) => {
        const b = body(req);
        const action = optionalString(b, 'action', 'body');
        if (action !== undefined && action !== 'accept' && action !== 'cancel') throw new InputError('body.action must be accept or cancel');
        const user = optionalString(b, 'user', 'body');
        const options: ConsentOptions = { ...(user ? { user } : {}), ...(action ? { action } : {}) };
        return { location: await emulator.consent(requiredString(b, 'url', 'body'), options) };
      });
    },
    { prefix: '/_emulator' },
  );
}
