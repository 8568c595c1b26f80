/** Reading protocol parameters from query strings and form bodies. */
import type { FastifyRequest } from 'fastify';

export type Params = Record<string, string | undefined>;

/** First value of each parameter: repeated OAuth parameters carry no extra meaning. */
export function firstValues(source: unknown): Params {
  const out: Params = {};
  if (typeof source !== 'object' || source === null) return out;
  for (const [k, v] of Object.entries(source)) out[k] = Array.isArray(v) ? (v[0] as string | undefined) : typeof v === 'string' ? v : undefined;
  return out;
}

/** Only form bodies are read, as Entra does: a JSON body looks like a request without parameters. */
export function formParams(req: FastifyRequest): Params {
  const type = req.headers['content-type'] ?? '';
  return type.toLowerCase().startsWith('application/x-www-form-urlencoded') ? firstValues(req.body) : {};
}
