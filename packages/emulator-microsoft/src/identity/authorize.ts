/**
 * GET /{tenant}/oauth2/v2.0/authorize and the consent form it renders (POST /{tenant}/login,
 * the path Microsoft's own sign-in form posts to).
 *
 * Errors before the redirect URI is proven registered are shown on a page, never redirected:
 * redirecting to an unverified URI would make the emulator an open redirector, and Entra behaves
 * the same way. After that point errors go back to the client per response_mode.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loginCloudOf, type ListenerContext } from '../context.ts';
import { randomToken } from '../ids.ts';
import type { App, AuthTransaction, ResponseMode, User } from '../model.ts';
import { firstValues, type Params } from '../params.ts';
import { parseDelegatedScopes, requestedPermissions, unknownPermissions } from '../scopes.ts';
import { renderConsentPage } from './consent-page.ts';
import { Aad, AadError } from './errors.ts';
import { sendAuthorizeError, sendAuthorizeResult, sendErrorPage, traceFor, type RedirectTarget } from './respond.ts';
import { checkAppForScope, eligibleUsers, resolveTenantSegment, type TenantScope } from './tenant.ts';

const RESPONSE_MODES: readonly ResponseMode[] = ['query', 'fragment', 'form_post'];
const PKCE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;
const CLOUD_LABELS = { global: 'Microsoft Entra ID', usgov: 'Microsoft Entra ID for US Government', china: 'Microsoft Entra ID operated by 21Vianet' };

export function registerAuthorize(app: FastifyInstance, l: ListenerContext): void {
  app.get('/:tenant/oauth2/v2.0/authorize', (req, reply) => handleAuthorize(req, reply, l));
  app.post('/:tenant/login', (req, reply) => handleConsentSubmit(req, reply, l));
}

interface Validated {
  app: App;
  scope: TenantScope;
  target: RedirectTarget;
}

/** The checks whose failure is shown on a page. */
function validateClient(l: ListenerContext, segment: string, q: Params): Validated {
  const state = l.emu.state;
  const scope = resolveTenantSegment(state, segment, loginCloudOf(l).name);
  if (!q.client_id) throw Aad.missingParameter('client_id');
  const app = state.findApp(q.client_id);
  if (!app) throw Aad.appNotFound(q.client_id, scope.label);
  checkAppForScope(app, scope);
  if (!q.redirect_uri) throw Aad.missingParameter('redirect_uri');
  if (!app.redirectUris.includes(q.redirect_uri)) throw Aad.redirectNotRegistered(q.redirect_uri, app.clientId);
  const responseMode = RESPONSE_MODES.find((m) => m === q.response_mode) ?? 'query';
  return { app, scope, target: { redirectUri: q.redirect_uri, responseMode, ...(q.state !== undefined ? { state: q.state } : {}) } };
}

async function handleAuthorize(req: FastifyRequest, reply: FastifyReply, l: ListenerContext): Promise<FastifyReply> {
  const state = l.emu.state;
  state.sweep();
  const trace = traceFor(req, l);
  const q = firstValues(req.query);
  const segment = (req.params as { tenant: string }).tenant;
  let v: Validated;
  try {
    v = validateClient(l, segment, q);
  } catch (err) {
    if (err instanceof AadError) return sendErrorPage(reply, err, trace);
    throw err;
  }
  try {
    const responseTypes = (q.response_type ?? '').split(/\s+/).filter(Boolean);
    if (responseTypes.length === 0) throw Aad.missingParameter('response_type');
    // Only the code flow is emulated; hybrid and implicit responses are refused as if not enabled.
    if (responseTypes.length !== 1 || responseTypes[0] !== 'code') throw Aad.unsupportedResponseType(q.response_type!);
    if (!q.scope) throw Aad.missingParameter('scope');
    const scopes = parseDelegatedScopes(q.scope, loginCloudOf(l), v.scope.label);
    const unknown = unknownPermissions(scopes);
    if (unknown.length > 0) throw Aad.scopeDoesNotExist(v.app.displayName, unknown[0]!);

    const challenge = q.code_challenge;
    // Per the v2.0 docs a challenge without a method is a plain challenge.
    const method = q.code_challenge_method ?? (challenge ? 'plain' : undefined);
    if (method !== undefined && method !== 'S256' && method !== 'plain') {
      throw Aad.invalidCodeChallenge(`Invalid Code_Challenge_Method parameter '${method}'.`);
    }
    if (challenge !== undefined && !PKCE_CHALLENGE.test(challenge)) throw Aad.invalidCodeChallenge('Invalid size of Code_Challenge parameter.');
    if (v.app.pkceRequired && !challenge) throw Aad.pkceRequired();

    const fault = state.takeConsentError(l.def.name);
    if (fault) {
      throw new AadError({
        code: fault.code ?? 50076,
        error: fault.error,
        message: fault.message ?? 'Injected by the emulator (consent-time fault).',
        ...(fault.suberror ? { suberror: fault.suberror } : {}),
      });
    }

    const tx: AuthTransaction = {
      id: randomToken(24),
      expiresAt: state.now() + 3600_000,
      listener: l.def.name,
      loginCloud: loginCloudOf(l).name,
      tenantSegment: segment,
      clientId: v.app.clientId,
      redirectUri: v.target.redirectUri,
      responseMode: v.target.responseMode,
      scopes,
      ...(q.state !== undefined ? { state: q.state } : {}),
      ...(q.nonce !== undefined ? { nonce: q.nonce } : {}),
      ...(challenge ? { codeChallenge: challenge, codeChallengeMethod: method as 'S256' | 'plain' } : {}),
      ...(q.login_hint ? { loginHint: q.login_hint } : {}),
    };
    const users = eligibleUsers(state, v.app, v.scope, tx.loginCloud);
    if (q.prompt === 'none') return silentSignIn(reply, l, tx, v, users);
    state.transactions.set(tx.id, tx);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(consentPage(tx, v.app, users));
  } catch (err) {
    if (err instanceof AadError) return sendAuthorizeError(reply, v.target, err, trace);
    throw err;
  }
}

function consentPage(tx: AuthTransaction, app: App, users: User[], problem?: string): string {
  const hinted = tx.loginHint ? users.find((u) => u.userPrincipalName.toLowerCase() === tx.loginHint!.toLowerCase()) : undefined;
  const preselect = hinted ?? (users.length === 1 ? users[0] : undefined);
  return renderConsentPage({
    appName: app.displayName,
    clientId: app.clientId,
    cloudLabel: CLOUD_LABELS[tx.loginCloud],
    scopes: [...requestedPermissions(tx.scopes, app), ...tx.scopes.oidc],
    users,
    ...(preselect ? { preselectUserId: preselect.id } : {}),
    transactionId: tx.id,
    // A path, not a URL: the form works through whatever origin the browser used.
    formAction: `/${encodeURIComponent(tx.tenantSegment)}/login`,
    ...(problem ? { problem } : {}),
  });
}

/** prompt=none: succeed only when the hinted user has already consented to everything asked. */
function silentSignIn(reply: FastifyReply, l: ListenerContext, tx: AuthTransaction, v: Validated, users: User[]): FastifyReply {
  const hint = tx.loginHint?.toLowerCase();
  const user = hint ? users.find((u) => u.userPrincipalName.toLowerCase() === hint) : undefined;
  if (!user) throw Aad.loginRequired();
  const consented = l.emu.state.consentedPermissions(v.app, user);
  if (!requestedPermissions(tx.scopes, v.app).every((p) => consented.has(p))) throw Aad.interactiveConsentRequired(v.app);
  return sendAuthorizeResult(reply, v.target, { code: issueCode(l, tx, user) });
}

function issueCode(l: ListenerContext, tx: AuthTransaction, user: User): string {
  const state = l.emu.state;
  const code = randomToken(48);
  state.codes.set(code, {
    code,
    clientId: tx.clientId,
    userId: user.id,
    tenantId: user.tenantId,
    loginCloud: tx.loginCloud,
    redirectUri: tx.redirectUri,
    scopes: tx.scopes,
    ...(tx.codeChallenge ? { codeChallenge: tx.codeChallenge, codeChallengeMethod: tx.codeChallengeMethod! } : {}),
    ...(tx.nonce !== undefined ? { nonce: tx.nonce } : {}),
    expiresAt: state.now() + state.settings.codeSeconds * 1000,
    redeemed: false,
    authTime: state.now(),
  });
  return code;
}

async function handleConsentSubmit(req: FastifyRequest, reply: FastifyReply, l: ListenerContext): Promise<FastifyReply> {
  const state = l.emu.state;
  state.sweep();
  const trace = traceFor(req, l);
  const form = firstValues(req.body);
  const tx = form.tx ? state.transactions.get(form.tx) : undefined;
  if (!tx || tx.listener !== l.def.name) return sendErrorPage(reply, Aad.flowExpired(), trace);
  const app = state.findApp(tx.clientId);
  if (!app) return sendErrorPage(reply, Aad.appNotFound(tx.clientId, tx.tenantSegment), trace);
  const target: RedirectTarget = {
    redirectUri: tx.redirectUri,
    responseMode: tx.responseMode,
    ...(tx.state !== undefined ? { state: tx.state } : {}),
  };
  if (form.action === 'cancel') {
    state.transactions.delete(tx.id);
    return sendAuthorizeError(reply, target, Aad.userDeclined(), trace);
  }
  let scope: TenantScope;
  try {
    scope = resolveTenantSegment(state, tx.tenantSegment, tx.loginCloud);
  } catch (err) {
    if (err instanceof AadError) return sendErrorPage(reply, err, trace);
    throw err;
  }
  const users = eligibleUsers(state, app, scope, tx.loginCloud);
  const user = users.find((u) => u.id === form.user);
  if (form.action !== 'accept' || !user) {
    // Keep the transaction: the person can pick an account and try again.
    const problem = form.action !== 'accept' ? 'Choose Accept or Cancel.' : 'Choose an account to continue.';
    return reply.code(400).type('text/html; charset=utf-8').send(consentPage(tx, app, users, problem));
  }
  state.transactions.delete(tx.id);
  state.addDelegatedGrant(app.clientId, user.tenantId, user.id, requestedPermissions(tx.scopes, app));
  return sendAuthorizeResult(reply, target, { code: issueCode(l, tx, user) });
}
