/**
 * Bearer validation for Graph: signature with the emulator's key, lifetime against the
 * emulator's clock, and `aud` equal to this listener's Graph root — tokens are not
 * interchangeable between clouds, nor between the L4 and L5 Graph of the same authority.
 */
import type { FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { GRAPH_APP_ID, LOGIN_CLOUDS } from '../clouds.ts';
import { requestInfo, type ListenerContext } from '../context.ts';
import { GraphErrors, type GraphError } from './errors.ts';

export interface Principal {
  kind: 'delegated' | 'app';
  tenantId: string;
  clientId: string;
  /** Set for delegated tokens: the signed-in user's object id. */
  userId?: string;
  /** Lower-case delegated scopes (`scp`). */
  scopes: Set<string>;
  /** Lower-case application permissions (`roles`). */
  roles: Set<string>;
  claims: JWTPayload;
}

const principals = new WeakMap<FastifyRequest, Principal>();

function challenge(l: ListenerContext, err: GraphError): GraphError {
  const authority = LOGIN_CLOUDS[l.def.graphLogin].host;
  err.headers['www-authenticate'] =
    `Bearer realm="", authorization_uri="https://${authority}/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`;
  return err;
}

export async function authenticate(req: FastifyRequest, l: ListenerContext): Promise<Principal> {
  const known = principals.get(req);
  if (known) return known;
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw challenge(l, GraphErrors.tokenEmpty());
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(match[1]!, l.emu.key.publicKey, {
      algorithms: ['RS256'],
      currentDate: new Date(l.emu.state.now()),
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw challenge(l, GraphErrors.tokenExpired());
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf') throw challenge(l, GraphErrors.tokenExpired());
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw challenge(l, GraphErrors.tokenInvalid());
    throw challenge(l, GraphErrors.tokenMalformed());
  }
  if (claims.aud !== l.def.graphRoot) throw challenge(l, GraphErrors.invalidAudience());
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const scopes = new Set(str(claims.scp).split(' ').filter(Boolean).map((s) => s.toLowerCase()));
  const roles = new Set((Array.isArray(claims.roles) ? claims.roles : []).map((r) => String(r).toLowerCase()));
  const delegated = claims.idtyp !== 'app' && typeof claims.scp === 'string';
  const principal: Principal = {
    kind: delegated ? 'delegated' : 'app',
    tenantId: str(claims.tid),
    clientId: str(claims.appid),
    ...(delegated ? { userId: str(claims.oid) } : {}),
    scopes,
    roles,
    claims,
  };
  principals.set(req, principal);
  const entry = requestInfo(req).log;
  if (entry && principal.clientId) entry.clientId = principal.clientId;
  return principal;
}

/** The principal authenticated by the Graph preHandler. */
export function principalOf(req: FastifyRequest): Principal {
  const p = principals.get(req);
  if (!p) throw new Error('Graph route reached without authentication');
  return p;
}

/** Whether the token carries any of the permissions (delegated or application as it applies). */
export function grantsAny(p: Principal, names: readonly string[]): boolean {
  const held = p.kind === 'delegated' ? p.scopes : p.roles;
  return names.some((n) => held.has(n.toLowerCase()));
}
