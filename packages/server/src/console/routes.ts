import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { App } from '../http/app.ts';
import { redactUrl } from '../http/logging.ts';
import { Problem } from '../problems/problem.ts';

/** Where `npm run build -w packages/console` writes the console. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

/**
 * The page's own policy: scripts and styles only from this origin (no inline code, so an
 * injected string cannot run), connector icons as data: URIs, no framing (clickjacking).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

function documentHeaders(reply: FastifyReply): void {
  reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    // Console URLs hold ids; same-origin keeps them from vendors' and other sites' logs.
    .header('referrer-policy', 'same-origin')
    // The document names the current asset hashes: always revalidate it (cheap, with its ETag).
    .header('cache-control', 'no-cache');
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchboard</title></head>
<body><main><h1>The console is not built</h1><p>Run <code>npm run build -w packages/console</code> (or <code>npm start</code>, which builds it when needed), then reload. The API is available at <a href="/api/docs">/api/docs</a>.</p></main></body></html>`;

/**
 * Serves the built console at `/`: files that exist as they are (hashed assets cached for a
 * year, immutable), and index.html for every other path that is not under /api, so the
 * console's own routes survive a reload. Unknown /api paths stay RFC 9457 problems.
 */
export async function consoleRoutes(app: App, options: { dir?: string | undefined }): Promise<void> {
  const dir = options.dir ?? DEFAULT_CONSOLE_DIR;
  const built = existsSync(join(dir, 'index.html'));
  if (!built) app.log.warn({ dir }, 'the console is not built: / explains how to build it; the API works without it');
  // preCompressed: the build writes .br and .gz next to each asset; no compression on the request path.
  if (built) await app.register(fastifyStatic, { root: dir, serve: false, preCompressed: true });

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (path === '/api' || path.startsWith('/api/')) throw new Problem('ROUTE_NOT_FOUND', `No endpoint ${request.method} ${redactUrl(request.url)}.`);
    if (!built) {
      documentHeaders(reply);
      return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    }
    const lastSegment = path.slice(path.lastIndexOf('/') + 1);
    if (lastSegment.includes('.') && path !== '/index.html') {
      // A file: served if it exists, else the usual 404 problem (never index.html, which a
      // browser would try to run as a stale script). send() refuses paths leaving the root.
      let file: string;
      try {
        file = decodeURIComponent(path.slice(1));
      } catch {
        return reply.callNotFound();
      }
      const immutable = path.startsWith('/assets/');
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
      reply.header('x-content-type-options', 'nosniff');
      return reply.sendFile(file, { cacheControl: false });
    }
    documentHeaders(reply);
    return reply.sendFile('index.html', { cacheControl: false });
  });
}
