import type { AuthTypeDefinition, InjectDefinition, JwtBearerAuth } from '@switchboard/catalog';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import type { ConnectionContext } from './context.ts';
import { importPrivateKey } from './keys.ts';
import type { OAuth2Client, TokenSet } from './oauth2.ts';

/** What goes onto an API request to authenticate it. */
export interface Credentials {
  headers: Record<string, string>;
  query: Record<string, string>;
}

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Auth types a person completes in a browser (consent); all others are verified at once. */
export function isInteractive(auth: AuthTypeDefinition): boolean {
  return auth.type === 'oauth2-authorization-code' || auth.type === 'oauth2-byoa' || auth.type === 'oauth1';
}

/** Auth types whose credential is an access token with a lifetime, renewed by Switchboard. */
export function usesTokens(auth: AuthTypeDefinition): boolean {
  return ['oauth2-authorization-code', 'oauth2-byoa', 'oauth2-client-credentials', 'client-certificate', 'jwt-bearer'].includes(auth.type);
}

/**
 * The per-auth-type behaviour: obtaining and renewing tokens, and turning a connection's
 * credential into headers or query parameters. Everything vendor-specific is in the
 * connector definition; this file knows only the protocols.
 */
export class Authenticator {
  constructor(private readonly oauth2: OAuth2Client) {}

  /** Obtains a token without a person (client credentials, assertions); undefined for static credentials. */
  async obtain(ctx: ConnectionContext): Promise<TokenSet | undefined> {
    switch (ctx.auth.type) {
      case 'oauth2-client-credentials':
      case 'client-certificate':
        return this.oauth2.clientCredentials(ctx);
      case 'jwt-bearer':
        return this.jwtBearer(ctx, ctx.auth);
      default:
        return undefined;
    }
  }

  /** A fresh token: the refresh grant where there is a refresh token, otherwise the original grant again. */
  async renew(ctx: ConnectionContext, tokens: TokenSet | undefined): Promise<TokenSet> {
    if (tokens?.refreshToken && (ctx.auth.type === 'oauth2-authorization-code' || ctx.auth.type === 'oauth2-byoa')) {
      const fresh = await this.oauth2.refresh(ctx, tokens.refreshToken);
      // Vendors that do not rotate refresh tokens omit them: keep the one we have.
      return { ...fresh, refreshToken: fresh.refreshToken ?? tokens.refreshToken };
    }
    if (tokens?.refreshToken && usesTokens(ctx.auth)) {
      const fresh = await this.oauth2.refresh(ctx, tokens.refreshToken);
      return { ...fresh, refreshToken: fresh.refreshToken ?? tokens.refreshToken };
    }
    const obtained = await this.obtain(ctx);
    if (!obtained) throw new Error(`Auth type ${ctx.auth.type} has no way to renew its token without a person`);
    return obtained;
  }

  /** RFC 7523 §2.1: a signed assertion exchanged for an access token (service accounts). */
  private async jwtBearer(ctx: ConnectionContext, auth: JwtBearerAuth): Promise<TokenSet> {
    const def = auth.jwtBearer;
    const alg = ctx.resolveRef(def.algorithm);
    const key = await importPrivateKey(String(ctx.lookup('privateKey') ?? ''), alg);
    const now = Math.floor(Date.now() / 1000);
    // Optional claims and kid whose fields were left empty are left out, not sent as "".
    const text = (template: string | undefined) => (template === undefined ? '' : ctx.renderText(template));
    const claims: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(def.claims.additional ?? {})) if (text(v)) claims[k] = text(v);
    if (text(def.claims.scope)) claims.scope = text(def.claims.scope);
    const kid = text(def.keyId);
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })
      .setIssuer(ctx.renderText(def.claims.iss))
      .setAudience(ctx.renderText(def.claims.aud))
      .setIssuedAt(now)
      .setExpirationTime(now + (def.lifetimeSeconds ?? 3600))
      .setJti(randomUUID());
    if (text(def.claims.sub)) jwt.setSubject(text(def.claims.sub));
    const tokenUrl = ctx.renderUrl(def.tokenUrl);
    const params: Record<string, string> = { assertion: await jwt.sign(key) };
    for (const [k, v] of Object.entries(def.tokenParams ?? {})) params[k] = ctx.renderText(v);
    return this.oauth2.genericGrant(ctx, tokenUrl, JWT_BEARER_GRANT, params);
  }

  /** The headers and query parameters that authenticate one API request. */
  credentials(ctx: ConnectionContext, tokens: TokenSet | undefined): Credentials {
    const out: Credentials = { headers: {}, query: {} };
    const auth = ctx.auth;
    const put = (inject: InjectDefinition, value: string) => {
      const where = ctx.resolveRef(inject.in);
      const name = ctx.renderText(inject.name);
      const prefix = inject.prefix === undefined ? '' : renderOptional(ctx, inject.prefix);
      if (where === 'query') out.query[name] = prefix + value;
      else out.headers[name.toLowerCase()] = prefix + value;
    };
    const bearer: InjectDefinition = { in: 'header', name: 'Authorization', prefix: 'Bearer ' };
    switch (auth.type) {
      case 'none':
      case 'aws-sigv4':
      case 'oauth1':
        // aws-sigv4 and oauth1 sign the whole request; see the activity runtime.
        break;
      case 'basic': {
        const user = auth.basic?.username ? ctx.renderText(auth.basic.username) : String(ctx.lookup('username') ?? '');
        const pass = auth.basic?.password ? ctx.renderText(auth.basic.password) : String(ctx.lookup('password') ?? '');
        out.headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
        break;
      }
      case 'api-key':
        put(auth.inject, String(ctx.lookup('apiKey') ?? ''));
        break;
      case 'personal-access-token':
        put(auth.inject ?? bearer, String(ctx.lookup('token') ?? ''));
        break;
      default:
        if (tokens) put(auth.inject ?? bearer, tokens.accessToken);
    }
    return out;
  }
}

/** An optional template whose field is empty renders as nothing rather than failing. */
function renderOptional(ctx: ConnectionContext, template: string): string {
  try {
    return ctx.renderText(template);
  } catch {
    return '';
  }
}
