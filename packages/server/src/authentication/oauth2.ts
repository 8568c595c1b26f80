import type {
  ClientCertificateAuth,
  OAuth2AuthTypeDefinition,
  OAuth2ByoaAuth,
  OAuth2AuthorizationCodeAuth,
  ScopesDefinition,
} from '@switchboard/catalog';
import { qualifiedScopes, readPointer } from '@switchboard/catalog';
import * as oauth from 'oauth4webapi';
import type { Outbound } from '../outbound/http.ts';
import type { ConnectionContext } from './context.ts';
import { AuthProviderError, classifyOAuthError } from './errors.ts';
import { importPrivateKey } from './keys.ts';

/** What a token endpoint gave us, normalised; stored encrypted in the vault. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  /** ISO time; absent when the vendor gave no lifetime. */
  expiresAt?: string;
  scopes?: string[];
  /** Values copied from the response per the definition's tokenResponse.metadata. */
  metadata?: Record<string, unknown>;
  idTokenClaims?: Record<string, unknown>;
}

type AuthorizationCodeAuth = OAuth2AuthorizationCodeAuth | OAuth2ByoaAuth;

/** oauth4webapi's hook for issuers that vary per tenant; exported but not typed by the library. */
const EXPECTED_ISSUER = (oauth as unknown as { _expectedIssuer: symbol })._expectedIssuer;

/**
 * OAuth 2.0 client, on oauth4webapi (certified; no hand-rolled protocol): authorization
 * code with PKCE, client credentials (secret or private_key_jwt), refresh and revocation.
 * Endpoint URLs come from the connector definition rendered against the connection.
 */
export class OAuth2Client {
  constructor(private readonly outbound: Outbound) {}

  private server(ctx: ConnectionContext): oauth.AuthorizationServer {
    const def = (ctx.auth as OAuth2AuthTypeDefinition).oauth2;
    const tokenUrl = ctx.renderUrl(def.tokenUrl);
    const as: oauth.AuthorizationServer = {
      // No discovery: the definition is the metadata. The issuer is informative only.
      issuer: new URL(tokenUrl).origin,
      token_endpoint: tokenUrl,
      ...('authorizationUrl' in def ? { authorization_endpoint: ctx.renderUrl(def.authorizationUrl) } : {}),
      ...('revocationUrl' in def && def.revocationUrl ? { revocation_endpoint: ctx.renderUrl(def.revocationUrl) } : {}),
    };
    // ID tokens are not used for identity (the identity call is), and multi-tenant issuers
    // such as Microsoft's `common` differ per tenant, so the issuer claim is taken as sent.
    (as as unknown as Record<symbol, unknown>)[EXPECTED_ISSUER] = (result: { claims: { iss: string } }) => result.claims.iss;
    return as;
  }

  private client(ctx: ConnectionContext): oauth.Client {
    const client: oauth.Client = { client_id: String(ctx.lookup('clientId') ?? '') };
    return client;
  }

  private options(url: string) {
    return {
      [oauth.customFetch]: this.outbound.fetch,
      [oauth.allowInsecureRequests]: this.outbound.allowsInsecure(url),
    } as const;
  }

  private async clientAuth(ctx: ConnectionContext): Promise<oauth.ClientAuth> {
    if (ctx.auth.type === 'client-certificate') return this.assertionAuth(ctx, ctx.auth);
    const def = (ctx.auth as AuthorizationCodeAuth).oauth2;
    const method = ctx.resolveRef(def.clientAuthentication ?? 'client_secret_post');
    const secret = String(ctx.lookup('clientSecret') ?? '');
    switch (method) {
      case 'client_secret_basic':
        return oauth.ClientSecretBasic(secret);
      case 'none':
        return oauth.None();
      default:
        return oauth.ClientSecretPost(secret);
    }
  }

  /** private_key_jwt (RFC 7523 client authentication), e.g. Microsoft certificate credentials. */
  private async assertionAuth(ctx: ConnectionContext, auth: ClientCertificateAuth): Promise<oauth.ClientAuth> {
    const assertion = auth.oauth2.assertion;
    const alg = assertion?.algorithm ?? 'PS256';
    const key = await importPrivateKey(String(ctx.lookup('privateKey') ?? ''), alg);
    const thumbprint = String(ctx.lookup('certificateThumbprint') ?? '');
    // RFC 7523 §3: the token endpoint is an audience every server accepts (Microsoft requires it);
    // oauth4webapi's default, the issuer, is only the token URL's origin here.
    const audience = ctx.renderUrl(assertion?.audience ?? auth.oauth2.tokenUrl);
    const lifetime = assertion?.lifetimeSeconds ?? 300;
    // kid names the key for servers that look keys up by id (a JWKS); omitted when keyId renders empty.
    const kid = assertion?.keyId ? ctx.renderText(assertion.keyId) : '';
    return oauth.PrivateKeyJwt(
      kid ? { key, kid } : key,
      {
        [oauth.modifyAssertion]: (header, payload) => {
          // Microsoft identifies the certificate by its thumbprint: x5t is the base64url of the
          // SHA-1 digest (shown as 40 hex digits in the portal), x5t#S256 of the SHA-256 one.
          if (/^[0-9a-f]{40}$/i.test(thumbprint)) header.x5t = Buffer.from(thumbprint, 'hex').toString('base64url');
          else if (/^[0-9a-f]{64}$/i.test(thumbprint)) header['x5t#S256'] = Buffer.from(thumbprint, 'hex').toString('base64url');
          payload.aud = audience;
          payload.exp = Number(payload.nbf ?? payload.iat) + lifetime;
        },
      },
    );
  }

  requestedScopes(ctx: ConnectionContext): string[] {
    return qualifiedScopes(ctx.auth, ctx.values, (t) => ctx.renderText(t));
  }

  scopeParameter(ctx: ConnectionContext): string {
    const scopes = ('oauth2' in ctx.auth ? (ctx.auth.oauth2 as { scopes?: ScopesDefinition }).scopes : undefined) ?? {};
    return this.requestedScopes(ctx).join(scopes.separator ?? ' ');
  }

  /** Builds the authorization URL (PKCE S256 unless the vendor rejects PKCE). */
  async authorizationUrl(ctx: ConnectionContext, input: { redirectUri: string; state: string; codeVerifier?: string }): Promise<URL> {
    const def = (ctx.auth as AuthorizationCodeAuth).oauth2;
    const url = new URL(ctx.renderUrl(def.authorizationUrl));
    url.searchParams.set('client_id', String(ctx.lookup('clientId') ?? ''));
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', input.redirectUri);
    const scope = this.scopeParameter(ctx);
    if (scope) url.searchParams.set('scope', scope);
    url.searchParams.set('state', input.state);
    if (input.codeVerifier) {
      url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(input.codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
    }
    for (const [k, v] of Object.entries(def.authorizationParams ?? {})) url.searchParams.set(k, ctx.renderText(v));
    // The browser goes where a server-side request would: through the host map.
    return this.outbound.hostMap.rewrite(url);
  }

  usesPkce(ctx: ConnectionContext): boolean {
    return (ctx.auth as AuthorizationCodeAuth).oauth2.pkce !== false;
  }

  async exchangeCode(ctx: ConnectionContext, input: { callbackParams: URLSearchParams; redirectUri: string; codeVerifier?: string | undefined }): Promise<TokenSet> {
    const as = this.server(ctx);
    const client = this.client(ctx);
    // The state was already checked (hashed, single-use) by the authorization flow; this
    // validates the rest of the response the way the library requires before redeeming a code.
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(as, client, input.callbackParams, oauth.skipStateCheck);
    } catch (error) {
      throw await toProviderError(error);
    }
    const auth = await this.clientAuth(ctx);
    const response = await this.call(() =>
      oauth.authorizationCodeGrantRequest(as, client, auth, params, input.redirectUri, input.codeVerifier ?? oauth.nopkce, {
        ...this.options(as.token_endpoint!),
        additionalParameters: this.tokenParams(ctx),
      }),
    );
    return this.process(ctx, () => oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: oauth.expectNoNonce, requireIdToken: false }));
  }

  async refresh(ctx: ConnectionContext, refreshToken: string): Promise<TokenSet> {
    const as = this.server(ctx);
    const client = this.client(ctx);
    const auth = await this.clientAuth(ctx);
    const response = await this.call(() =>
      oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, { ...this.options(as.token_endpoint!), additionalParameters: this.tokenParams(ctx) }),
    );
    return this.process(ctx, () => oauth.processRefreshTokenResponse(as, client, response));
  }

  /** Client credentials grant, authenticated by secret or by a signed assertion (client-certificate). */
  async clientCredentials(ctx: ConnectionContext): Promise<TokenSet> {
    const as = this.server(ctx);
    const client = this.client(ctx);
    const auth = await this.clientAuth(ctx);
    const params = new URLSearchParams(this.tokenParams(ctx));
    const scope = this.scopeParameter(ctx);
    if (scope) params.set('scope', scope);
    const response = await this.call(() => oauth.clientCredentialsGrantRequest(as, client, auth, params, this.options(as.token_endpoint!)));
    return this.process(ctx, () => oauth.processClientCredentialsResponse(as, client, response));
  }

  /** Any other grant on the token endpoint (RFC 7523 jwt-bearer). */
  async genericGrant(ctx: ConnectionContext, tokenUrl: string, grantType: string, parameters: Record<string, string>): Promise<TokenSet> {
    const as: oauth.AuthorizationServer = { issuer: new URL(tokenUrl).origin, token_endpoint: tokenUrl };
    // The assertion authenticates the request; client_id is sent only when the connection names one.
    const clientId = String(ctx.lookup('clientId') ?? '');
    const client: oauth.Client = { client_id: clientId || 'unnamed' };
    const auth: oauth.ClientAuth = clientId ? oauth.None() : () => {};
    const response = await this.call(() => oauth.genericTokenEndpointRequest(as, client, auth, grantType, parameters, this.options(tokenUrl)));
    return this.process(ctx, () => oauth.processGenericTokenEndpointResponse(as, client, response));
  }

  /** Revokes a token where the vendor offers RFC 7009 revocation; failures are reported, not thrown. */
  async revoke(ctx: ConnectionContext, token: string): Promise<boolean> {
    const as = this.server(ctx);
    if (!as.revocation_endpoint) return false;
    try {
      const response = await oauth.revocationRequest(as, this.client(ctx), await this.clientAuth(ctx), token, this.options(as.revocation_endpoint));
      await oauth.processRevocationResponse(response);
      return true;
    } catch {
      return false;
    }
  }

  private tokenParams(ctx: ConnectionContext): Record<string, string> {
    const params = ('oauth2' in ctx.auth ? ctx.auth.oauth2.tokenParams : undefined) ?? {};
    return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, ctx.renderText(v)]));
  }

  private async call(request: () => Promise<Response>): Promise<Response> {
    try {
      return await request();
    } catch (error) {
      throw networkError(error);
    }
  }

  private async process(ctx: ConnectionContext, handle: () => Promise<oauth.TokenEndpointResponse>): Promise<TokenSet> {
    let result: oauth.TokenEndpointResponse;
    try {
      result = await handle();
    } catch (error) {
      throw await toProviderError(error);
    }
    const def = 'oauth2' in ctx.auth ? ctx.auth.oauth2 : 'jwtBearer' in ctx.auth ? ctx.auth.jwtBearer : undefined;
    const metadata: Record<string, unknown> = {};
    for (const [key, pointer] of Object.entries(def?.tokenResponse?.metadata ?? {})) {
      const value = readPointer(result, pointer);
      if (value !== undefined) metadata[key] = value;
    }
    const scopeText = typeof result.scope === 'string' ? decodeScope(result.scope) : undefined;
    const idClaims = oauth.getValidatedIdTokenClaims(result);
    return {
      accessToken: result.access_token,
      ...(result.refresh_token ? { refreshToken: result.refresh_token } : {}),
      tokenType: result.token_type,
      ...(typeof result.expires_in === 'number' ? { expiresAt: new Date(Date.now() + result.expires_in * 1000).toISOString() } : {}),
      ...(scopeText ? { scopes: scopeText.split(/[\s,]+/).filter(Boolean) } : {}),
      ...(Object.keys(metadata).length ? { metadata } : {}),
      ...(idClaims ? { idTokenClaims: { ...idClaims } } : {}),
    };
  }
}

/** Microsoft documents `scope` URL-encoded in some responses; decode when it is. */
function decodeScope(scope: string): string {
  try {
    return scope.includes('%') ? decodeURIComponent(scope) : scope;
  } catch {
    return scope;
  }
}


function networkError(error: unknown): AuthProviderError {
  if (error instanceof AuthProviderError) return error;
  const e = error as Error & { cause?: { code?: string } };
  return new AuthProviderError('network_error', `The vendor's authorization server could not be reached (${e.cause?.code ?? e.name}).`, undefined, false);
}

/** oauth4webapi reports vendor errors as ResponseBodyError; keep the vendor's code, message and AADSTS-style codes. */
async function toProviderError(error: unknown): Promise<AuthProviderError> {
  if (error instanceof oauth.ResponseBodyError) {
    const body = error.cause as Record<string, unknown>;
    const codes = Array.isArray(body.error_codes) ? body.error_codes.map(String) : [];
    return classifyOAuthError(error.error, error.error_description ?? '', error.status, codes);
  }
  if (error instanceof oauth.OperationProcessingError || error instanceof TypeError) {
    const response = (error as { cause?: unknown }).cause;
    const status = response instanceof Response ? response.status : undefined;
    return new AuthProviderError('invalid_response', `The vendor's token response was not usable: ${(error as Error).message}`, status, status === undefined || status < 500);
  }
  return networkError(error);
}
