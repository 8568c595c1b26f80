import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/app.ts';
import { problems } from '../../http/schemas.ts';
import { Problem } from '../../problems/problem.ts';
import { webhookUrl } from './endpoints.ts';
import type { Inbound, WebhookIngress } from './ingress.ts';

/**
 * The public webhook URLs: /api/v1/webhooks/{routingKey}, no API key (the unguessable key and
 * the connector's signature check are the authentication). Bodies are kept as raw bytes:
 * signatures are computed over the exact bytes sent, so nothing may parse them first.
 */
export async function webhookRoutes(app: App, ingress: WebhookIngress, publicUrl: string): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    const handler = async (request: FastifyRequest<{ Params: { routingKey: string } }>, reply: FastifyReply) => {
      const inbound: Inbound = {
        routingKey: request.params.routingKey,
        method: request.method,
        url: webhookUrl(publicUrl, request.params.routingKey) + (request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''),
        headers: request.headers,
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        query: Object.fromEntries(Object.entries((request.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v)])),
        requestId: request.id,
      };
      try {
        const answer = await ingress.receive(inbound);
        // A handshake wants the token back as plain text, exactly (Graph: within 10 seconds, URL-decoded).
        if (answer.kind === 'challenge') return reply.status(200).type('text/plain; charset=utf-8').send(answer.token);
        return reply.status(202).send({ accepted: answer.events });
      } catch (error) {
        if (error instanceof Problem && error.code === 'WEBHOOK_RATE_LIMITED') reply.header('retry-after', String(error.extensions.retryAfterSeconds ?? 60));
        throw error;
      }
    };

    const params = Type.Object({ routingKey: Type.String({ minLength: 8, maxLength: 100 }) });
    const description = 'The URL of a webhook trigger (its `webhookUrl`): the sending application or vendor posts events here. Verification handshakes (a token in a query parameter or body property, per the connector) are answered with the token as text/plain. Deliveries the connector requires signed are refused unless the signature verifies.';
    scope.post('/api/v1/webhooks/:routingKey', {
      config: { public: true },
      schema: {
        tags: ['Webhooks'], summary: 'Receive webhook events (public)', description, security: [], params,
        response: { 200: Type.String({ description: 'The handshake token.' }), 202: Type.Object({ accepted: Type.Integer({ description: 'Events stored for delivery.' }) }), ...problems(400, 401, 404, 429) },
      },
    }, handler);
    scope.get('/api/v1/webhooks/:routingKey', {
      config: { public: true },
      schema: { tags: ['Webhooks'], summary: 'Answer a verification handshake (public)', description, security: [], params, response: { 200: Type.String(), ...problems(404, 405) } },
    }, handler);
  });
}
