/**
 * Mounts Graph v1.0 on a listener. Every /v1.0 route is authenticated by one preHandler (which
 * then applies injected latency and throttling), errors become Graph error bodies, and unknown
 * paths answer like Graph ("Resource not found for the segment"). /me, /users and /organization
 * are plain Fastify routes; everything else (mail, calendar, files, workbooks, sites, $batch)
 * goes through the Graph router in dispatch.ts with the table from catalog.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { graphBase, type ListenerContext } from '../context.ts';
import { CodedInputError } from '../data/errors.ts';
import { InputError } from '../input.ts';
import { authenticate, principalOf } from './auth.ts';
import { buildRouteTable, REWRITES } from './catalog.ts';
import { registerDispatcher } from './dispatch.ts';
import { registerTransferRoutes } from './files/transfer-routes.ts';
import { applyGraphFaults } from './throttle.ts';
import { GraphError, GraphErrors, ODATA_JSON, sendGraphError } from './errors.ts';
import { registerMe, signedInUser } from './me.ts';
import { registerOrganization } from './organization.ts';
import { registerUsers } from './users.ts';

/** Top-level segments the emulator serves; the first other segment is the one Graph complains about. */
const KNOWN_ROOTS = new Set(['me', 'users', 'organization']);

function unknownSegment(path: string): string {
  const segments = path.split('?')[0]!.split('/').filter(Boolean).slice(1);
  const [root, ...rest] = segments;
  if (!root || !KNOWN_ROOTS.has(root)) return root ?? '';
  // /users/{id}/... : the id is a key, not a segment Graph would name.
  const afterKey = root === 'users' ? rest.slice(1) : rest;
  return afterKey[0] ?? root;
}

/** Any error a Graph handler throws, as the Graph error to answer with. */
function asGraphError(error: Error & { statusCode?: number }): GraphError {
  if (error instanceof GraphError) return error;
  // Body validation in the shared data readers: with Graph's own code when the reader knows it.
  if (error instanceof CodedInputError) return new GraphError(400, error.graphCode, error.graphMessage);
  if (error instanceof InputError) return new GraphError(error.status === 404 ? 404 : 400, 'BadRequest', error.message);
  if ((error.statusCode ?? 500) < 500) return new GraphError(error.statusCode!, 'BadRequest', error.message);
  return new GraphError(500, 'UnknownError', 'An unexpected error occurred in the emulator.');
}

export function graphErrorHandler(l: ListenerContext) {
  return (error: Error & { statusCode?: number }, req: FastifyRequest, reply: FastifyReply) => {
    const err = asGraphError(error);
    if (err.status === 500) req.log.error(error);
    return sendGraphError(req, reply, err, l.emu.state.now());
  };
}

export function registerGraph(app: FastifyInstance, l: ListenerContext): void {
  const table = buildRouteTable(app);
  app.register(
    async (v1) => {
      v1.setErrorHandler(graphErrorHandler(l));
      v1.addHook('preHandler', async (req) => {
        await authenticate(req, l);
        await applyGraphFaults(req, l);
      });
      // Only methods the router's catch-all does not take end here; it answers everything else.
      v1.setNotFoundHandler(async (req) => {
        await authenticate(req, l);
        throw GraphErrors.segmentNotFound(unknownSegment(req.url));
      });
      registerMe(v1, l);
      registerUsers(v1, l);
      registerOrganization(v1, l);
      registerDispatcher(v1, l, table, REWRITES);
    },
    { prefix: '/v1.0' },
  );

  // Pre-authenticated upload, download and copy-monitor URLs, outside the versioned API.
  app.register(async (transfer) => {
    transfer.setErrorHandler(graphErrorHandler(l));
    registerTransferRoutes(transfer, l);
  });

  // The OIDC userinfo endpoint lives on the Graph host, outside the versioned API.
  app.register(async (oidc) => {
    oidc.setErrorHandler(graphErrorHandler(l));
    oidc.get('/oidc/userinfo', async (req, reply) => {
      const p = await authenticate(req, l);
      const user = signedInUser(l, principalOf(req));
      if (!p.scopes.has('openid')) throw GraphErrors.accessDenied();
      return reply.type(ODATA_JSON).send({
        sub: p.claims.sub,
        name: user.displayName,
        family_name: user.surname,
        given_name: user.givenName,
        picture: `${graphBase(l)}/v1.0/me/photo/$value`,
        ...(p.scopes.has('email') && user.mail ? { email: user.mail } : {}),
      });
    });
  });
}
