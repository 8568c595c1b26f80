import type { IdentityDefinition } from '@switchboard/catalog';
import { conditionHolds, readPointer } from '@switchboard/catalog';
import { decodeJwt } from 'jose';
import type { Outbound } from '../outbound/http.ts';
import type { Credentials } from './authenticator.ts';
import type { ConnectionContext } from './context.ts';
import type { TokenSet } from './oauth2.ts';

export interface Identity {
  account: string | null;
  accountId: string | null;
  displayName: string | null;
}

/** The identity call failed: the credentials do not work (401/403) or the vendor failed. */
export class IdentityError extends Error {
  override name = 'IdentityError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly vendorCode: string | undefined,
    readonly vendorMessage: string | undefined,
  ) {
    super(message);
  }
}

export function identityDefinition(ctx: ConnectionContext): IdentityDefinition | undefined {
  return ctx.auth.identity ?? ctx.connector.identity;
}

/**
 * Reads who the connection is (the connection account): by calling the vendor's identity
 * endpoint with the new credentials, which also proves they work, or from a template or
 * token claims for app-only credentials.
 */
export async function readIdentity(outbound: Outbound, ctx: ConnectionContext, credentials: Credentials, tokens: TokenSet | undefined): Promise<Identity> {
  const def = identityDefinition(ctx);
  // `when` makes the identity optional, e.g. the HTTP connector's identity path: left empty, there is nothing to call.
  if (!def || (def.when && !conditionHolds(def.when, ctx.values))) return { account: null, accountId: null, displayName: null };
  if ('template' in def) return { account: ctx.renderText(def.template), accountId: null, displayName: null };
  if ('fromTokenClaims' in def) {
    const token = def.token === 'id_token' ? undefined : tokens?.accessToken;
    let claims: Record<string, unknown> = tokens?.idTokenClaims ?? {};
    if (token) {
      try {
        claims = decodeJwt(token);
      } catch {
        // Opaque access tokens carry no claims; fall back to the ID token's.
      }
    }
    const account = def.fromTokenClaims.map((c) => claims[c]).find((v) => typeof v === 'string' && v) as string | undefined;
    const id = def.idClaim ? claims[def.idClaim] : undefined;
    return { account: account ?? null, accountId: typeof id === 'string' ? id : null, displayName: null };
  }
  const base = ctx.baseUrl();
  if (!base) throw new IdentityError('The connector has an identity request but no base URL.', undefined, undefined, undefined);
  const url = new URL(base + ctx.renderUrl(def.request.path));
  for (const [k, v] of Object.entries(def.request.query ?? {})) url.searchParams.set(k, ctx.renderText(v));
  for (const [k, v] of Object.entries(credentials.query)) url.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: 'application/json', ...credentials.headers };
  for (const [k, v] of Object.entries(def.request.headers ?? {})) headers[k.toLowerCase()] = ctx.renderText(v);
  let response: Response;
  try {
    response = await outbound.fetch(url, { method: def.request.method, headers });
  } catch (error) {
    throw new IdentityError(`The identity endpoint could not be reached (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name}).`, undefined, undefined, undefined);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const { code, message } = vendorError(body);
    throw new IdentityError(
      `The identity request ${def.request.method} ${def.request.path} failed with HTTP ${response.status}${code ? ` (${code}${message ? `: ${message}` : ''})` : ''}.`,
      response.status,
      code,
      message,
    );
  }
  const pick = (pointer: string | undefined) => {
    if (!pointer) return null;
    const v = readPointer(body, pointer);
    return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null;
  };
  const account = def.account.map(pick).find((v) => v) ?? null;
  return { account, accountId: pick(def.id), displayName: pick(def.displayName) };
}

/** The common error body shapes: {error:{code,message}} (Graph), {error, error_description}, {message}. */
export function vendorError(body: unknown): { code?: string; message?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  if (b.error && typeof b.error === 'object') {
    const e = b.error as Record<string, unknown>;
    return { ...(typeof e.code === 'string' ? { code: e.code } : {}), ...(typeof e.message === 'string' ? { message: e.message } : {}) };
  }
  return {
    ...(typeof b.error === 'string' ? { code: b.error } : typeof b.code === 'string' ? { code: b.code } : {}),
    ...(typeof b.error_description === 'string' ? { message: b.error_description } : typeof b.message === 'string' ? { message: b.message } : {}),
  };
}
