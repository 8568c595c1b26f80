/**
 * The validation handshake Graph runs before creating a subscription (reference doc, section 4):
 * POST {url}?validationToken={token} with `Content-Type: text/plain; charset=utf-8` and no
 * body; the endpoint must answer 200 within the deadline with the URL-decoded token as its body,
 * exactly. The token is encoded the way Graph encodes it (form style: spaces as `+`), so a
 * receiver that does not decode it properly fails here as it would against Graph.
 */
import { newGuid } from '../ids.ts';
import { postWithDeadline } from './http.ts';
import type { NotificationLog } from './log.ts';

export interface ValidationContext {
  timeoutMs: number;
  log: NotificationLog;
  now: () => number;
  closing: AbortSignal;
}

/** The URL with `validationToken` appended to whatever query it already has. */
export function validationUrl(url: string, token: string): string {
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash);
  const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${separator}${new URLSearchParams({ validationToken: token }).toString()}`;
}

export async function validateEndpoint(url: string, subscriptionId: string, c: ValidationContext): Promise<boolean> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${newGuid()}`;
  const at = new Date(c.now()).toISOString();
  const outcome = await postWithDeadline(validationUrl(url, token), '', 'text/plain; charset=utf-8', c.timeoutMs, c.closing);
  const ok = 'status' in outcome && outcome.status === 200 && outcome.text === token;
  c.log.add({
    kind: 'validation',
    url,
    subscriptionIds: [subscriptionId],
    attempt: 1,
    at,
    ...('status' in outcome ? { status: outcome.status, response: outcome.text.slice(0, 500) } : { error: outcome.error }),
    ok,
    durationMs: outcome.durationMs,
    body: { validationToken: token },
  });
  return ok;
}
