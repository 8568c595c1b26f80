/**
 * HTTP admin API for change notifications and delta (under /_emulator, loopback only):
 *   /subscriptions                       GET every active subscription, with delivery counts
 *   /subscriptions/{id}                  GET one
 *   /subscriptions/{id}/lifecycle        POST {lifecycleEvent}: send it (202, what was sent)
 *   /subscriptions/{id}/drop             POST {count}: lose the next count notifications
 *   /subscriptions/{id}/expire           POST: expire now (204)
 *   /notifications                       GET (?subscriptionId=&kind=) the log; DELETE clears it
 *   /notifications/flush                 POST: send batched notifications now (204)
 *   /faults/delta-tokens/invalidate      POST: every delta and skip token issued so far is 410
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { body } from '../admin-routes.ts';
import type { MicrosoftEmulator } from '../emulator.ts';
import { InputError, optionalNumber } from '../input.ts';
import type { LifecycleEvent } from '../notifications/change-notification.ts';
import type { NotificationKind } from '../notifications/log.ts';

const id = (req: FastifyRequest) => (req.params as { id: string }).id;

export function registerSubscriptionAdminRoutes(admin: FastifyInstance, emu: MicrosoftEmulator): void {
  admin.get('/subscriptions', async () => emu.subscriptions.list());
  admin.get('/subscriptions/:id', async (req) => emu.subscriptions.get(id(req)));
  admin.post('/subscriptions/:id/lifecycle', async (req, reply) => {
    const event = body(req).lifecycleEvent;
    if (typeof event !== 'string') throw new InputError('body.lifecycleEvent must be reauthorizationRequired, subscriptionRemoved or missed');
    return reply.code(202).send(emu.subscriptions.lifecycle(id(req), event as LifecycleEvent));
  });
  admin.post('/subscriptions/:id/drop', async (req) => emu.subscriptions.drop(id(req), optionalNumber(body(req), 'count', 'body') ?? 1));
  admin.post('/subscriptions/:id/expire', async (req, reply) => {
    emu.subscriptions.expire(id(req));
    return reply.code(204).send();
  });

  admin.get('/notifications', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    return emu.subscriptions.notifications({ ...(q.subscriptionId ? { subscriptionId: q.subscriptionId } : {}), ...(q.kind ? { kind: q.kind as NotificationKind } : {}) });
  });
  admin.delete('/notifications', async (_req, reply) => {
    emu.subscriptions.clearNotifications();
    return reply.code(204).send();
  });
  admin.post('/notifications/flush', async (_req, reply) => {
    await emu.subscriptions.flush();
    return reply.code(204).send();
  });

  admin.post('/faults/delta-tokens/invalidate', async () => ({ generation: emu.invalidateDeltaTokens() }));
}
