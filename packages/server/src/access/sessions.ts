import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Problem } from '../problems/problem.ts';
import type { Database, Queryable } from '../store/database.ts';
import { AttemptLimiter } from './attempt-limiter.ts';
import type { Credentials, SignInUser } from './credentials.ts';
import type { Principal } from './principal.ts';
import './sign-in-errors.ts';

export interface SessionOptions {
  /** A session unused this long ends (the console's "signed out after inactivity"). */
  idleMinutes: number;
  /** A session ends this long after sign-in, however active. */
  maxHours: number;
  /** PUBLIC_URL is https: the cookie gets Secure and the __Host- prefix (no Domain, Path=/, Secure enforced by browsers). */
  secure: boolean;
}

export interface ResolvedSession {
  id: string;
  principal: Principal;
  expiresAt: Date;
  csrfToken: string;
}

/** Header the console sends its CSRF token in; a cross-site form or image cannot set headers. */
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** last_seen_at is what idle expiry reads; once a minute is precise enough and keeps reads read-only. */
const TOUCH_RESOLUTION_MS = 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The CSRF token is an HMAC of the (httpOnly, never readable) session token: bound to the
 * session, nothing to store, and knowing it reveals nothing about the cookie. The console
 * reads it from GET /api/v1/session, which another origin cannot read (no CORS).
 */
function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('switchboard csrf v1').digest('base64url');
}

/** Our cookie values are base64url, so no decoding is needed; other cookies are skipped unread. */
function cookieValue(header: string, name: string): string | undefined {
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Console sessions: sign-in with email and password, an opaque random cookie stored hashed
 * with idle and absolute expiry, sign-out that revokes, and the CSRF check for requests the
 * cookie authenticates. API keys are untouched: programs keep using `Authorization: Bearer`.
 */
export class Sessions {
  readonly cookieName: string;
  private readonly limiter = new AttemptLimiter();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly credentials: Credentials,
    private readonly options: SessionOptions,
  ) {
    this.cookieName = options.secure ? '__Host-sb_session' : 'sb_session';
  }

  get idleMinutes(): number {
    return this.options.idleMinutes;
  }

  /** Checks the password (rate limited per email and client address) and opens a session. */
  async signIn(email: string, password: string, client: { ip: string; userAgent?: string | undefined }): Promise<{ token: string; session: ResolvedSession }> {
    const key = `${email.trim().toLowerCase()}\n${client.ip}`;
    const wait = this.limiter.retryAfterSeconds(key);
    if (wait > 0) throw new Problem('SIGN_IN_RATE_LIMITED', `Too many failed sign-ins for this email. Try again in ${Math.ceil(wait / 60)} minute(s).`, { extensions: { retryAfterSeconds: wait } });
    const user = await this.credentials.verify(email, password);
    if (!user) {
      this.limiter.failed(key);
      throw new Problem('INVALID_CREDENTIALS', 'The email or password is not correct.');
    }
    this.limiter.succeeded(key);
    return this.db.transaction((tx) => this.open(tx, user, client));
  }

  /** Opens a session for a user who just proved who they are (password, invitation). */
  async open(tx: Queryable, user: SignInUser, client: { ip: string; userAgent?: string | undefined }): Promise<{ token: string; session: ResolvedSession }> {
    // Sign-in is when a user's dead sessions stop being worth keeping.
    await tx.query('DELETE FROM sessions WHERE user_id = $1 AND (revoked_at IS NOT NULL OR expires_at < now())', [user.id]);
    const token = randomBytes(32).toString('base64url');
    const id = randomUUID();
    const [row] = await tx.query<{ expires_at: Date }>(
      `INSERT INTO sessions (id, tenant_id, user_id, token_hash, expires_at, user_agent, ip)
       VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5), $6, $7) RETURNING expires_at`,
      [id, user.tenantId, user.id, hashToken(token), this.options.maxHours, client.userAgent?.slice(0, 300) ?? null, client.ip],
    );
    return {
      token,
      session: {
        id,
        principal: { userId: user.id, tenantId: user.tenantId, email: user.email, isTenantAdmin: user.isTenantAdmin },
        expiresAt: row!.expires_at,
        csrfToken: csrfTokenOf(token),
      },
    };
  }

  /** The live session of a cookie value, or undefined when unknown, revoked, idle too long or past its end. */
  async resolve(token: string): Promise<ResolvedSession | undefined> {
    if (token.length > 100) return undefined;
    const [row] = await this.db.query<{ id: string; user_id: string; tenant_id: string; email: string; is_tenant_admin: boolean; expires_at: Date }>(
      `SELECT s.id, s.user_id, s.tenant_id, u.email, u.is_tenant_admin, s.expires_at
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
          AND s.last_seen_at > now() - make_interval(mins => $2)`,
      [hashToken(token), this.options.idleMinutes],
    );
    if (!row) return undefined;
    this.touch(row.id);
    return {
      id: row.id,
      principal: { userId: row.user_id, tenantId: row.tenant_id, email: row.email, isTenantAdmin: row.is_tenant_admin },
      expiresAt: row.expires_at,
      csrfToken: csrfTokenOf(token),
    };
  }

  /** The session cookie's value on a request, if any. */
  tokenOf(request: FastifyRequest): string | undefined {
    const header = request.headers.cookie;
    return header ? cookieValue(header, this.cookieName) : undefined;
  }

  /**
   * The authentication hook's cookie path: the session's principal, or undefined without a
   * live session. A state-changing request must also carry the session's CSRF token.
   */
  async authenticate(request: FastifyRequest): Promise<Principal | undefined> {
    const token = this.tokenOf(request);
    const session = token ? await this.resolve(token) : undefined;
    if (!session) return undefined;
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) {
        throw new Problem('CSRF_TOKEN_INVALID', `This request changes something, so besides the session cookie it needs the session's CSRF token in the ${CSRF_HEADER} header.`);
      }
    }
    return session.principal;
  }

  /** The signed-in user of a request whose route is public (the OAuth callback); never throws. */
  async userIdOf(request: FastifyRequest): Promise<string | undefined> {
    const token = this.tokenOf(request);
    return token ? (await this.resolve(token))?.principal.userId : undefined;
  }

  async revoke(token: string): Promise<void> {
    await this.db.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [hashToken(token)]);
  }

  /** After a password change or reset: every other browser signed in as this user is signed out. */
  async revokeAllOf(tx: Queryable, userId: string, exceptToken?: string): Promise<void> {
    await tx.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND token_hash <> $2', [userId, exceptToken ? hashToken(exceptToken) : '']);
  }

  setCookie(reply: FastifyReply, token: string): void {
    reply.header('set-cookie', this.cookie(token, this.options.maxHours * 3600));
  }

  clearCookie(reply: FastifyReply): void {
    reply.header('set-cookie', this.cookie('', 0));
  }

  /**
   * HttpOnly: scripts (an injected one included) cannot read it. SameSite=Lax, not Strict: the
   * vendor's redirect to the OAuth callback is a cross-site navigation, and the callback must
   * see the session to bind the consent to the user who started it; every state-changing
   * request needs the CSRF header anyway, so Strict would add nothing there.
   */
  private cookie(value: string, maxAgeSeconds: number): string {
    return `${this.cookieName}=${value}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; SameSite=Lax${this.options.secure ? '; Secure' : ''}`;
  }

  private touch(sessionId: string): void {
    const now = Date.now();
    if (now - (this.touched.get(sessionId) ?? 0) < TOUCH_RESOLUTION_MS) return;
    this.touched.set(sessionId, now);
    if (this.touched.size > 10_000) this.touched.delete(this.touched.keys().next().value!);
    // Fire and forget: bookkeeping must not fail the request it rides on.
    this.db.query('UPDATE sessions SET last_seen_at = now() WHERE id = $1', [sessionId]).catch(() => this.touched.delete(sessionId));
  }
}
