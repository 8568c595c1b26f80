/**
 * How identity endpoints answer: trace ids, JSON errors for the token endpoint, and redirects
 * (query, fragment or form_post) for the authorize flow.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loginCloudOf, type ListenerContext } from '../context.ts';
import { isGuid, newGuid } from '../ids.ts';
import type { ResponseMode } from '../model.ts';
import { renderErrorPage, renderFormPost } from './consent-page.ts';
import { aadErrorBody, describeWithTrace, type AadError, type TraceContext } from './errors.ts';

/** MSAL sends its correlation id in `client-request-id`; Entra echoes it as the correlation id. */
export function traceFor(req: FastifyRequest, l: ListenerContext): TraceContext {
  const sent = req.headers['client-request-id'];
  return {
    now: l.emu.state.now(),
    traceId: newGuid(),
    correlationId: typeof sent === 'string' && isGuid(sent) ? sent : newGuid(),
    loginHost: loginCloudOf(l).host,
  };
}

export function sendTokenError(reply: FastifyReply, err: AadError, t: TraceContext): FastifyReply {
  return reply
    .code(err.status)
    .header('cache-control', 'no-store, no-cache')
    .header('pragma', 'no-cache')
    .header('x-ms-request-id', t.traceId)
    .send(aadErrorBody(err, t));
}

export function sendErrorPage(reply: FastifyReply, err: AadError, t: TraceContext): FastifyReply {
  return reply.code(400).type('text/html; charset=utf-8').send(renderErrorPage(err, t));
}

export interface RedirectTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
}

/** Delivers authorize results the way the client asked (query is the default for code). */
export function sendAuthorizeResult(reply: FastifyReply, target: RedirectTarget, params: Record<string, string>): FastifyReply {
  const fields = { ...params, ...(target.state !== undefined ? { state: target.state } : {}) };
  if (target.responseMode === 'form_post') {
    return reply.code(200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderFormPost(target.redirectUri, fields));
  }
  const url = new URL(target.redirectUri);
  if (target.responseMode === 'fragment') {
    url.hash = new URLSearchParams(fields).toString();
  } else {
    for (const [k, v] of Object.entries(fields)) url.searchParams.append(k, v);
  }
  return reply.redirect(url.toString(), 302);
}

export function sendAuthorizeError(reply: FastifyReply, target: RedirectTarget, err: AadError, t: TraceContext): FastifyReply {
  const params: Record<string, string> = {
    error: err.error,
    error_description: describeWithTrace(err, t),
    error_uri: `https://${t.loginHost}/error?code=${err.code}`,
  };
  if (err.suberror) params.suberror = err.suberror;
  return sendAuthorizeResult(reply, target, params);
}
