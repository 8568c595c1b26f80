import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.ts';
import { errorCatalog } from '../problems/catalog.ts';

/** Endpoints about the service itself: health and the error catalog. */
export function systemRoutes(app: App, info: { version: string; store: 'embedded' | 'postgres'; ping: () => Promise<void> }): void {
  app.get('/api/v1/health', {
    config: { public: true },
    schema: {
      tags: ['System'], summary: 'Liveness and store readiness (no authentication)', security: [],
      response: {
        200: Type.Object({ status: Type.Literal('ok'), version: Type.String(), store: Type.Union([Type.Literal('embedded'), Type.Literal('postgres')]) }),
        503: Type.Object({ status: Type.Literal('unavailable'), version: Type.String(), store: Type.String() }),
      },
    },
  }, async (_request, reply) => {
    try {
      await info.ping();
      return { status: 'ok' as const, version: info.version, store: info.store };
    } catch {
      return reply.status(503).send({ status: 'unavailable' as const, version: info.version, store: info.store });
    }
  });

  app.get('/api/v1/errors', {
    schema: {
      tags: ['System'], summary: 'The error catalog: every stable error code with its meaning and fix',
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({ code: Type.String(), status: Type.Integer(), title: Type.String(), meaning: Type.String(), fix: Type.String() })),
        }),
      },
    },
  }, async () => ({
    items: Object.entries(errorCatalog())
      .map(([code, e]) => ({ code, ...e }))
      .sort((a, b) => a.code.localeCompare(b.code)),
  }));

  app.get('/api/v1/openapi.json', {
    schema: { hide: true },
  }, async () => app.swagger());
}
