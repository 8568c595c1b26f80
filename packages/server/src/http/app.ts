import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import type { Principal } from '../access/principal.ts';
import { Problem } from '../problems/problem.ts';
import { problemFromError } from './errors.ts';
import { redactUrl } from './logging.ts';
import { ProblemSchema } from './schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every non-public route. */
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Routes that answer without an API key (health, OAuth callback, inbound webhooks, docs). */
    public?: boolean;
  }
}

export type App = FastifyInstance<any, any, any, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface AppOptions {
  logger: FastifyBaseLogger;
  bodyLimit: number;
  version: string;
  publicUrl: string;
  authenticate: (apiKey: string) => Promise<Principal | undefined>;
  /** The console's session cookie, tried when no API key is sent; throws a problem on a missing CSRF token. */
  authenticateSession?: (request: FastifyRequest) => Promise<Principal | undefined>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the HTTP server shell: request ids, one log line per request, authentication,
 * RFC 9457 problems for every failure, and the OpenAPI document. Feature routes are
 * registered by the caller as plugins.
 */
export async function createApp(options: AppOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: options.logger,
    // Our onResponse hook writes the one line per request; Fastify's own two lines are off.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit,
    // Honour a caller's correlation id when it is well-formed, so traces join up across services.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    ajv: { customOptions: {} },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installValidators(app);
  app.addSchema(ProblemSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard API',
        version: options.version,
        description: 'Connectors, connections, activities and triggers for SaaS apps. Every endpoint except health authenticates with `Authorization: Bearer <api key>`. Errors are RFC 9457 problem details with a stable `code` (see GET /api/v1/errors).',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'A Switchboard API key.' },
          session: { type: 'apiKey', in: 'cookie', name: 'sb_session', description: 'The console session (POST /api/v1/session); state-changing requests also need its CSRF token in X-CSRF-Token. `__Host-sb_session` when PUBLIC_URL is https.' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });

  app.decorateRequest('principal', null as unknown as Principal);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.routeOptions.config.public || !request.url.startsWith('/api/v1/')) return;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const principal = match ? await options.authenticate(match[1]!) : await options.authenticateSession?.(request);
    if (!principal) {
      reply.header('www-authenticate', 'Bearer realm="switchboard"');
      throw new Problem('UNAUTHENTICATED', match ? 'The API key is unknown, revoked or expired.' : 'Sign in to the console, or send an API key as `Authorization: Bearer <api key>`.');
    }
    request.principal = principal;
  });

  // One line per request, written when the response is done, with what an operator needs.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        requestId: request.id,
        method: request.method,
        url: redactUrl(request.url),
        route: request.routeOptions.url,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        userId: request.principal?.userId,
      },
      'request',
    );
  });

  app.setErrorHandler(async (error, request, reply) => {
    const problem = problemFromError(error);
    if (problem.status >= 500) request.log.error({ err: error, requestId: request.id }, 'request failed');
    return reply
      .status(problem.status)
      .type('application/problem+json')
      .send(problem.toJSON(request.id));
  });

  app.setNotFoundHandler(async (request, reply) => {
    const problem = new Problem('ROUTE_NOT_FOUND', `No endpoint ${request.method} ${redactUrl(request.url)}.`);
    return reply.status(404).type('application/problem+json').send(problem.toJSON(request.id));
  });

  return app;
}

/**
 * Bodies are validated strictly (no type coercion, unknown properties rejected by the
 * schemas); query strings and path parameters arrive as text, so they are coerced.
 */
function installValidators(app: App): void {
  const make = (coerceTypes: boolean) => {
    const ajv = new Ajv.default({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: true, strict: false });
    addFormats.default(ajv);
    return ajv;
  };
  const strict = make(false);
  const coercing = make(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
}
