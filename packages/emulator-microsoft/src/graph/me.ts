/**
 * /me: the signed-in user. Only meaningful with a delegated token; app-only tokens get Graph's
 * 400 and must use /users/{id | userPrincipalName}.
 */
import type { FastifyInstance } from 'fastify';
import type { ListenerContext } from '../context.ts';
import type { User } from '../model.ts';
import { grantsAny, principalOf, type Principal } from './auth.ts';
import { GraphErrors, ODATA_JSON } from './errors.ts';
import { READ_SELF, projectUser, selectedProperties, userContext } from './users.ts';

/** The user behind a delegated token; later /me/* routes (mail, calendar, files) start here. */
export function signedInUser(l: ListenerContext, p: Principal): User {
  if (p.kind !== 'delegated' || !p.userId) throw GraphErrors.delegatedOnly();
  const user = l.emu.state.users.get(p.userId);
  if (!user || user.tenantId !== p.tenantId) throw GraphErrors.resourceNotFound(p.userId);
  return user;
}

export function registerMe(app: FastifyInstance, l: ListenerContext): void {
  app.get('/me', async (req, reply) => {
    const p = principalOf(req);
    const user = signedInUser(l, p);
    if (!grantsAny(p, READ_SELF)) throw GraphErrors.accessDenied();
    const select = selectedProperties(req);
    return reply.type(ODATA_JSON).send({ '@odata.context': userContext(l, select, true), ...projectUser(user, select) });
  });
}
