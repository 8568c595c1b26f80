/**
 * Client authentication at the token endpoint: client_secret in the body, HTTP Basic
 * (RFC 6749 §2.3.1), or a private_key_jwt client assertion signed with a registered key.
 * Public clients must present nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { loginCloudOf, type ListenerContext } from '../context.ts';
import { aadTimestamp } from '../ids.ts';
import type { App } from '../model.ts';
import type { ClientAuthLevel } from '../tokens.ts';
import { Aad } from './errors.ts';
import type { TenantScope } from './tenant.ts';

const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Entra tolerates five minutes of clock skew on assertions. */
const ASSERTION_SKEW_SECONDS = 300;

export interface BasicCredentials {
  id: string;
  secret: string;
}

/** Basic credentials are form-urlencoded before base64 (RFC 6749 §2.3.1), so decode both parts. */
export function parseBasic(header: string | undefined): BasicCredentials | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unescape = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
}

/** Compares digests so the comparison takes the same time whatever the secret's length. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export interface ClientCredentials {
  secret?: string;
  assertion?: string;
  assertionType?: string;
}

export interface ClientAuthInput {
  l: ListenerContext;
  app: App;
  credentials: ClientCredentials;
  grantType: string;
  segment: string;
  scope: TenantScope;
}

export async function authenticateClient(i: ClientAuthInput): Promise<ClientAuthLevel> {
  const { app, credentials: c } = i;
  const presented = c.secret !== undefined || c.assertion !== undefined || c.assertionType !== undefined;
  if (app.publicClient) {
    if (presented) throw Aad.publicClientCredential();
    // Public clients cannot act as themselves: there is nothing to authenticate them with.
    if (i.grantType === 'client_credentials') throw Aad.clientCredentialsNeedCredential();
    return '0';
  }
  if (c.assertion !== undefined || c.assertionType !== undefined) {
    if (c.assertionType !== JWT_BEARER_ASSERTION || !c.assertion) throw Aad.missingClientCredential();
    await verifyAssertion(i, c.assertion);
    return '2';
  }
  if (c.secret !== undefined) {
    const match = app.secrets.find((s) => sameSecret(s.value, c.secret!));
    if (!match) throw Aad.invalidSecret(app.clientId);
    if (match.expiresAt !== undefined && match.expiresAt <= i.l.emu.state.now()) throw Aad.expiredSecret(app.clientId);
    return '1';
  }
  throw i.grantType === 'client_credentials' ? Aad.clientCredentialsNeedCredential() : Aad.missingClientCredential();
}

/** The token endpoint URLs an assertion may be addressed to: any alias of this authority, or our own origin. */
function acceptedAudiences(i: ClientAuthInput): string[] {
  const cloud = loginCloudOf(i.l);
  const bases = [cloud.host, ...cloud.aliases].map((h) => `https://${h}`);
  bases.push(i.l.emu.origins[i.l.def.name]);
  const tenants = new Set([i.segment]);
  if (i.scope.kind === 'tenant') for (const t of [i.scope.tenant.id, ...i.scope.tenant.domains]) tenants.add(t);
  return bases.flatMap((b) => [...tenants].map((t) => `${b}/${t}/oauth2/v2.0/token`.toLowerCase()));
}

async function verifyAssertion(i: ClientAuthInput, assertion: string): Promise<void> {
  const { app } = i;
  const state = i.l.emu.state;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw Aad.assertionMalformed('The client assertion is not a signed JWT.');
  }
  const alg = header.alg;
  if (alg !== 'RS256' && alg !== 'PS256') throw Aad.assertionMalformed(`Unsupported signing algorithm '${String(alg)}'.`);
  const x5tS256 = (header as Record<string, unknown>)['x5t#S256'];
  const thumbprint = String(header.x5t ?? x5tS256 ?? header.kid ?? '');
  const now = state.now();
  const cert = app.certificates.find(
    (c) => (header.kid !== undefined && c.kid === header.kid) || (header.x5t !== undefined && c.x5t === header.x5t) || (x5tS256 !== undefined && c.x5tS256 === x5tS256),
  );
  if (!cert || (cert.expiresAt !== undefined && cert.expiresAt <= now)) throw Aad.assertionKeyNotFound(thumbprint, app.clientId);

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, cert.key, {
      algorithms: [alg],
      currentDate: new Date(now),
      clockTolerance: ASSERTION_SKEW_SECONDS,
      requiredClaims: ['exp'],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw Aad.assertionBadSignature(thumbprint, app.clientId);
    if (err instanceof joseErrors.JWTExpired || (err instanceof joseErrors.JWTClaimValidationFailed && ['nbf', 'iat'].includes(err.claim))) {
      throw Aad.assertionOutOfTime(`Current time: ${aadTimestamp(now)}.`);
    }
    throw Aad.assertionMalformed(err instanceof Error ? err.message : 'Unreadable assertion.');
  }
  const sameId = (v: unknown) => typeof v === 'string' && v.toLowerCase() === app.clientId;
  if (!sameId(payload.iss) || !sameId(payload.sub)) throw Aad.assertionIssuer();
  const expected = acceptedAudiences(i);
  const audiences = (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).filter((a): a is string => typeof a === 'string');
  if (!audiences.some((a) => expected.includes(a.toLowerCase()))) {
    throw Aad.assertionAudience(audiences.join(' '), `https://${loginCloudOf(i.l).host}/${i.segment}/oauth2/v2.0/token`);
  }
  if (typeof payload.jti !== 'string' || payload.jti === '') throw Aad.assertionMalformed("The 'jti' claim is required.");
  const jtiKey = `${app.clientId}:${payload.jti}`;
  if (state.usedAssertionIds.has(jtiKey)) throw Aad.assertionReplayed();
  state.usedAssertionIds.set(jtiKey, (payload.exp! + ASSERTION_SKEW_SECONDS) * 1000);
}
