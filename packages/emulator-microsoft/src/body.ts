/**
 * Request bodies. Graph endpoints need both views of a body: JSON for resources and actions, raw
 * bytes for file content (a `.json` file uploaded with `Content-Type: application/json` is
 * still content). So every body is kept raw, JSON is parsed when the type says so, and a body
 * that fails to parse is marked rather than rejected: only a handler that wants JSON fails.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestInfo } from './context.ts';

/** Stands in for `req.body` when a JSON body does not parse. */
export class InvalidJsonBody {
  constructor(readonly reason: string) {}
}

/** Large enough for Graph's simple upload (250 MB) and upload-session fragments (< 60 MiB). */
export const BODY_LIMIT_BYTES = 260 * 1024 * 1024;

export function registerBodyParsers(app: FastifyInstance): void {
  // Fastify's own JSON and text parsers would keep bodies from being seen raw.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (req, body, done) => {
    requestInfo(req).rawBody = body as Buffer;
    const out: Record<string, string> = {};
    // The first occurrence wins; repeated OAuth parameters carry no meaning.
    for (const [k, v] of new URLSearchParams((body as Buffer).toString('utf8'))) if (!(k in out)) out[k] = v;
    done(null, out);
  });
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json/i, { parseAs: 'buffer' }, (req, body, done) => {
    const raw = body as Buffer;
    requestInfo(req).rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch (err) {
      done(null, new InvalidJsonBody((err as Error).message));
    }
  });
  // Anything else arrives raw; endpoints decide (the token endpoint ignores non-form bodies).
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    requestInfo(req).rawBody = body as Buffer;
    done(null, body);
  });
}

/** The body exactly as received (empty when there was none). */
export function rawBody(req: FastifyRequest): Buffer {
  return requestInfo(req).rawBody ?? Buffer.alloc(0);
}
