import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../http/app.ts';
import { Uuid, problems } from '../../http/schemas.ts';
import { Problem } from '../../problems/problem.ts';
import type { Database } from '../../store/database.ts';
import type { Credentials } from '../credentials.ts';
import { PASSWORD_MAX_LENGTH } from '../passwords.ts';
import type { Principal } from '../principal.ts';
import type { ResolvedSession, Sessions } from '../sessions.ts';
import type { Users } from '../users.ts';

const SessionSchema = Type.Object(
  {
    user: Type.Ref('User'),
    authenticatedWith: Type.Union([Type.Literal('session'), Type.Literal('api-key')]),
    csrfToken: Type.Union([Type.String(), Type.Null()], { description: 'Send it in the X-CSRF-Token header of every state-changing request made with the session cookie. Null for API keys, which need none.' }),
    expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When the session ends at the latest; it ends earlier after idleTimeoutMinutes without use.' }),
    idleTimeoutMinutes: Type.Integer(),
  },
  { $id: 'Session' },
);

const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH });

export interface SessionRouteDeps {
  db: Database;
  users: Users;
  credentials: Credentials;
  sessions: Sessions;
  publicUrl: string;
}

/** Console sign-in: the session resource (who am I, sign in, sign out), passwords and invitation links. */
export function sessionRoutes(app: App, deps: SessionRouteDeps): void {
  const { db, users, credentials, sessions } = deps;
  app.addSchema(SessionSchema);
  const tags = ['Console sessions'];
  const client = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers['user-agent'] });

  const view = async (principal: Principal, session: ResolvedSession | undefined) => ({
    user: await users.get(principal, 'me'),
    authenticatedWith: session ? ('session' as const) : ('api-key' as const),
    csrfToken: session?.csrfToken ?? null,
    expiresAt: session?.expiresAt.toISOString() ?? null,
    idleTimeoutMinutes: sessions.idleMinutes,
  });

  app.get('/api/v1/session', {
    schema: { tags, summary: 'Who am I: the signed-in user, and the CSRF token of the session', response: { 200: Type.Ref('Session'), ...problems(401) } },
  }, async (request) => {
    const token = request.principal.apiKeyId ? undefined : sessions.tokenOf(request);
    return view(request.principal, token ? await sessions.resolve(token) : undefined);
  });

  app.post('/api/v1/session', {
    config: { public: true },
    schema: {
      tags, summary: 'Sign in with email and password; sets the httpOnly session cookie', security: [],
      description: 'Wrong email and wrong password get the same answer (INVALID_CREDENTIALS). Repeated failures for one email from one address are paused (SIGN_IN_RATE_LIMITED, with Retry-After).',
      body: Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }), password: Password }, { additionalProperties: false }),
      response: { 201: Type.Ref('Session'), ...problems(400, 401, 429) },
    },
  }, async (request, reply) => {
    try {
      const { token, session } = await sessions.signIn(request.body.email, request.body.password, client(request));
      sessions.setCookie(reply, token);
      return reply.status(201).send(await view(session.principal, session));
    } catch (error) {
      if (error instanceof Problem && error.code === 'SIGN_IN_RATE_LIMITED') reply.header('retry-after', String(error.extensions.retryAfterSeconds));
      throw error;
    }
  });

  app.delete('/api/v1/session', {
    schema: { tags, summary: 'Sign out: revokes the session and clears its cookie', response: { 204: Type.Null(), ...problems(401, 403) } },
  }, async (request, reply) => {
    const token = sessions.tokenOf(request);
    if (token && !request.principal.apiKeyId) await sessions.revoke(token);
    sessions.clearCookie(reply);
    return reply.status(204).send(null);
  });

  app.post('/api/v1/session/password', {
    schema: {
      tags, summary: 'Change your password (signs out your other sessions)',
      body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...problems(400, 401, 403) },
    },
  }, async (request, reply) => {
    await credentials.change(request.principal, request.body.currentPassword, request.body.newPassword);
    await sessions.revokeAllOf(db, request.principal.userId, request.principal.apiKeyId ? undefined : sessions.tokenOf(request));
    return reply.status(204).send(null);
  });

  app.post('/api/v1/users/:id/invitation', {
    schema: {
      tags, summary: 'Create a one-time sign-in link for a user to choose a password (tenant administrators)',
      description: 'For new users and forgotten passwords. The link is in this response only and works once, for 7 days; a new link replaces the previous one.',
      params: Type.Object({ id: Type.String({ description: 'A user id, or `me`.' }) }),
      response: {
        201: Type.Object({ userId: Uuid, email: Type.String(), invitationUrl: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }),
        ...problems(401, 403, 404),
      },
    },
  }, async (request, reply) => {
    const { token, ...invitation } = await credentials.invite(request.principal, request.params.id);
    // The token travels in the fragment: browsers never send it to a server or in a Referer.
    return reply.status(201).send({ ...invitation, invitationUrl: `${deps.publicUrl}/invitation#token=${token}` });
  });

  app.post('/api/v1/session/invitation', {
    config: { public: true },
    schema: {
      tags, summary: 'Redeem a sign-in link: choose a password and sign in', security: [],
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }), password: Password }, { additionalProperties: false }),
      response: { 201: Type.Ref('Session'), ...problems(400) },
    },
  }, async (request, reply) => {
    const { token, session } = await db.transaction(async (tx) => {
      const user = await credentials.redeem(tx, request.body.token, request.body.password);
      await sessions.revokeAllOf(tx, user.id);
      return sessions.open(tx, user, client(request));
    });
    sessions.setCookie(reply, token);
    return reply.status(201).send(await view(session.principal, session));
  });
}
