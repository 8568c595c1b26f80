/**
 * AADSTS errors, shaped like Microsoft's. Codes, `error` values and messages follow the public
 * error-code reference and observed responses (see the reference doc, section 2). Where no
 * public sample pairs a code with an `error` value, the pairing is inferred and marked so here.
 */
import { aadTimestamp } from '../ids.ts';
import type { App } from '../model.ts';

export interface AadErrorInit {
  code: number;
  error: string;
  message: string;
  suberror?: string;
  /** A claims challenge (JSON string), as Conditional Access errors carry. */
  claims?: string;
  status?: number;
}

export class AadError extends Error {
  readonly code: number;
  readonly error: string;
  readonly detail: string;
  readonly suberror?: string;
  readonly claims?: string;
  readonly status: number;

  constructor(init: AadErrorInit) {
    super(`AADSTS${init.code}: ${init.message}`);
    this.name = 'AadError';
    this.code = init.code;
    this.error = init.error;
    this.detail = init.message;
    if (init.suberror !== undefined) this.suberror = init.suberror;
    if (init.claims !== undefined) this.claims = init.claims;
    this.status = init.status ?? defaultStatus(init.error);
  }
}

/** invalid_client is 401 (observed for 7000215); outages are 503; everything else 400. */
function defaultStatus(error: string): number {
  if (error === 'invalid_client') return 401;
  if (error === 'temporarily_unavailable') return 503;
  if (error === 'server_error') return 500;
  return 400;
}

export interface TraceContext {
  now: number;
  traceId: string;
  correlationId: string;
  /** Real login host of the cloud, for `error_uri` (a documentation link, never fetched). */
  loginHost: string;
}

/** Microsoft appends trace lines to every description; clients show the first line. */
export function describeWithTrace(err: AadError, t: TraceContext): string {
  return `${err.message}\r\nTrace ID: ${t.traceId}\r\nCorrelation ID: ${t.correlationId}\r\nTimestamp: ${aadTimestamp(t.now)}`;
}

export function aadErrorBody(err: AadError, t: TraceContext): Record<string, unknown> {
  const body: Record<string, unknown> = {
    error: err.error,
    error_description: describeWithTrace(err, t),
    error_codes: [err.code],
    timestamp: aadTimestamp(t.now),
    trace_id: t.traceId,
    correlation_id: t.correlationId,
    error_uri: `https://${t.loginHost}/error?code=${err.code}`,
  };
  if (err.suberror) body.suberror = err.suberror;
  if (err.claims) body.claims = err.claims;
  return body;
}

const aad = (code: number, error: string, message: string, extra: Partial<AadErrorInit> = {}) =>
  new AadError({ code, error, message, ...extra });

const appLabel = (app: App) => `'${app.clientId}'(${app.displayName})`;

/** The catalog. One factory per situation, so handlers read as the protocol rule they enforce. */
export const Aad = {
  missingParameter: (name: string) =>
    aad(900144, 'invalid_request', `The request body must contain the following parameter: '${name}'.`),
  tenantNotFound: (tenant: string) =>
    aad(90002, 'invalid_tenant',
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`),
  invalidTenantIdentifier: (tenant: string) =>
    aad(900023, 'invalid_request', `Specified tenant identifier '${tenant}' is neither a valid DNS name, nor a valid external domain.`),
  appNotFound: (clientId: string, directory: string) =>
    aad(700016, 'unauthorized_client',
      `Application with identifier '${clientId}' was not found in the directory '${directory}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
  notMultiTenant: (app: App) =>
    aad(50194, 'invalid_request',
      `Application ${appLabel(app)} is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.`),
  // error value inferred (no public sample).
  organizationsOnly: (app: App) =>
    aad(9002332, 'invalid_request',
      `Application ${appLabel(app)} is configured for use by Azure Active Directory users only. Please do not use the /consumers endpoint to serve this request.`),
  unsupportedGrantType: (grantType: string) =>
    aad(70003, 'unsupported_grant_type', `The app requested an unsupported grant type '${grantType}'.`),
  // Client authentication.
  missingClientCredential: () =>
    aad(7000218, 'invalid_client', "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  clientCredentialsNeedCredential: () =>
    aad(7000216, 'invalid_client', "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type."),
  invalidSecret: (clientId: string) =>
    aad(7000215, 'invalid_client',
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`),
  expiredSecret: (clientId: string) =>
    aad(7000222, 'invalid_client',
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`),
  publicClientCredential: () =>
    aad(700025, 'invalid_client', "Client is public so neither 'client_assertion' nor 'client_secret' should be presented."),
  assertionKeyNotFound: (thumbprint: string, clientId: string) =>
    aad(700027, 'invalid_client',
      `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`),
  assertionBadSignature: (thumbprint: string, clientId: string) =>
    aad(700027, 'invalid_client',
      `Client assertion contains an invalid signature. [Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`),
  assertionOutOfTime: (detail: string) =>
    aad(700024, 'invalid_client', `Client assertion is not within its valid time range. ${detail}`),
  assertionIssuer: () =>
    aad(700021, 'invalid_client', "Client assertion application identifier doesn't match 'client_id' parameter."),
  // The next three codes are inferred: Entra's exact codes for these assertion faults are not public.
  assertionAudience: (audience: string, expected: string) =>
    aad(50013, 'invalid_client',
      `Assertion audience does not match the token endpoint. The audience in the assertion was '${audience}' and the expected audience is '${expected}'.`),
  assertionReplayed: () =>
    aad(50027, 'invalid_client', 'JWT token is invalid or malformed. The client assertion was already used (jti replay).'),
  assertionMalformed: (reason: string) =>
    aad(50027, 'invalid_client', `JWT token is invalid or malformed. ${reason}`),
  // Grants.
  codeInvalid: () => aad(70000, 'invalid_grant', "The provided value for the 'code' parameter is not valid."),
  codeRedeemed: () =>
    aad(54005, 'invalid_grant', 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'),
  grantExpiredOrRevoked: () =>
    aad(70008, 'invalid_grant',
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'),
  refreshInactive: (issuedAt: string, inactive: string) =>
    aad(700082, 'invalid_grant', `The refresh token has expired due to inactivity. The token was issued on ${issuedAt} and was inactive for ${inactive}.`),
  requestMalformed: () => aad(9002313, 'invalid_grant', 'Invalid request. Request is malformed or invalid.'),
  refreshNotForClient: () =>
    aad(70000, 'invalid_grant', "The provided value for the input parameter 'refresh_token' or 'assertion' is not valid."),
  mfaRequired: () =>
    aad(50076, 'invalid_grant',
      `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.`,
      {
        suberror: 'basic_action',
        // The id of the emulator's one Conditional Access policy ("require MFA").
        claims: JSON.stringify({ access_token: { capolids: { essential: true, values: ['5b6e7a1c-2d3f-4e8a-9b0c-1d2e3f4a5b6c'] } } }),
      }),
  consentRequired: (app: App) =>
    aad(65001, 'invalid_grant',
      `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' }),
  pkceMismatch: () =>
    aad(501481, 'invalid_grant', 'The Code_Verifier does not match the code_challenge supplied in the authorization request.'),
  redirectNotRegistered: (uri: string, clientId: string) =>
    aad(50011, 'invalid_request',
      `The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`),
  // error value inferred.
  redirectDiffersFromAuthorize: (uri: string, original: string) =>
    aad(500112, 'invalid_grant', `The reply address '${uri}' does not match the reply address '${original}' provided when requesting Authorization code.`),
  // Scopes and resources.
  invalidScope: (scope: string, reason = '') =>
    aad(70011, 'invalid_scope', `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.${reason ? ` ${reason}` : ''}`),
  clientCredentialsScope: (scope: string) =>
    aad(1002012, 'invalid_scope',
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
  resourceNotFound: (resource: string, tenant: string) =>
    aad(500011, 'invalid_resource',
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
  scopeDoesNotExist: (appName: string, scope: string) =>
    aad(650053, 'invalid_client',
      `The application '${appName}' asked for scope '${scope}' that doesn't exist on the resource '00000003-0000-0000-c000-000000000000'. Contact the app vendor.`),
  // error value inferred.
  grantNotOnCommon: () =>
    aad(9001023, 'invalid_request', 'The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint.'),
  // error value inferred.
  noTenantInformation: () =>
    aad(50059, 'invalid_request', 'No tenant-identifying information found in either the request or implied by any provided credentials.'),
  // Authorize-only.
  userDeclined: () => aad(65004, 'access_denied', 'User declined to consent to access the app.'),
  loginRequired: () => aad(50058, 'login_required', 'A silent sign-in request was sent but no user is signed in.'),
  interactiveConsentRequired: (app: App) =>
    aad(65001, 'consent_required',
      `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`),
  unsupportedResponseType: (responseType: string) =>
    aad(700051, 'unsupported_response_type', `response_type '${responseType}' is not enabled for the application.`),
  pkceRequired: () =>
    aad(9002325, 'invalid_request', 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.'),
  // Code inferred for both PKCE parameter faults.
  invalidCodeChallenge: (reason: string) => aad(501491, 'invalid_request', reason),
  flowExpired: () => aad(50089, 'invalid_request', 'Authentication failed due to flow token expired.'),
  userNotInTenant: (upn: string, tenant: string) =>
    aad(50020, 'invalid_request', `User account '${upn}' does not exist in tenant '${tenant}' and cannot access the application in that tenant.`),
  temporarilyUnavailable: () => aad(90033, 'temporarily_unavailable', 'A transient error has occurred. Please try again.'),
};
