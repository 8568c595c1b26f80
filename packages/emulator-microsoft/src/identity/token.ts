/**
 * POST /{tenant}/oauth2/v2.0/token. Order of checks: injected faults (an outage precedes any
 * validation), grant type, tenant segment, client, segment rules for that client, client
 * authentication, then the grant itself.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loginCloudOf, requestInfo, type ListenerContext } from '../context.ts';
import type { TokenFailureFault } from '../model.ts';
import { formParams } from '../params.ts';
import { authenticateClient, parseBasic } from './client-auth.ts';
import { AadError, Aad, type TraceContext } from './errors.ts';
import { GRANTS } from './grants.ts';
import { sendTokenError, traceFor } from './respond.ts';
import { checkAppForScope, resolveTenantSegment, type TenantScope } from './tenant.ts';

export function registerToken(app: FastifyInstance, l: ListenerContext): void {
  app.post('/:tenant/oauth2/v2.0/token', (req, reply) => handleToken(req, reply, l));
}

/** client_credentials needs a concrete tenant: Entra cannot tell which directory to act in. */
function checkClientCredentialsSegment(scope: TenantScope): void {
  const personal = scope.kind === 'consumers' || (scope.kind === 'tenant' && scope.tenant.kind === 'consumer');
  if (scope.kind === 'common' || personal) throw Aad.grantNotOnCommon();
  if (scope.kind === 'organizations') throw Aad.noTenantInformation();
}

async function handleToken(req: FastifyRequest, reply: FastifyReply, l: ListenerContext): Promise<FastifyReply | void> {
  const state = l.emu.state;
  state.sweep();
  const trace = traceFor(req, l);
  const params = formParams(req);
  const fault = state.takeTokenFailure(l.def.name, params.grant_type);
  if (fault) return injectFailure(req, reply, fault, trace);
  try {
    const grantType = params.grant_type;
    if (!grantType) throw Aad.missingParameter('grant_type');
    const segment = (req.params as { tenant: string }).tenant;
    const scope = resolveTenantSegment(state, segment, loginCloudOf(l).name);
    const grant = GRANTS[grantType];
    if (!grant) throw Aad.unsupportedGrantType(grantType);
    const basic = parseBasic(req.headers.authorization);
    const clientId = params.client_id ?? basic?.id;
    if (!clientId) throw Aad.missingParameter('client_id');
    const app = state.findApp(clientId);
    if (!app) throw Aad.appNotFound(clientId, scope.label);
    // Basic credentials for another client are as wrong as a wrong secret.
    if (basic && basic.id.toLowerCase() !== app.clientId) throw Aad.invalidSecret(app.clientId);
    if (grantType === 'client_credentials') checkClientCredentialsSegment(scope);
    checkAppForScope(app, scope);
    const secret = params.client_secret ?? basic?.secret;
    const level = await authenticateClient({
      l,
      app,
      grantType,
      segment,
      scope,
      credentials: {
        ...(secret !== undefined ? { secret } : {}),
        ...(params.client_assertion !== undefined ? { assertion: params.client_assertion } : {}),
        ...(params.client_assertion_type !== undefined ? { assertionType: params.client_assertion_type } : {}),
      },
    });
    const body = await grant({ l, params, app, scope, level });
    return reply.header('cache-control', 'no-store, no-cache').header('pragma', 'no-cache').header('x-ms-request-id', trace.traceId).send(body);
  } catch (err) {
    if (err instanceof AadError) return sendTokenError(reply, err, trace);
    throw err;
  }
}

function injectFailure(req: FastifyRequest, reply: FastifyReply, fault: TokenFailureFault, trace: TraceContext): FastifyReply | void {
  if (fault.mode === 'reset') {
    const entry = requestInfo(req).log;
    if (entry) entry.status = 0;
    reply.hijack();
    req.raw.socket.destroy();
    return;
  }
  if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
  return sendTokenError(reply, new AadError({ code: fault.code, error: fault.error, message: fault.message, status: fault.status }), trace);
}
