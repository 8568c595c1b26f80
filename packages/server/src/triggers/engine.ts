import type { FastifyBaseLogger } from 'fastify';
import type { Agent } from 'undici';
import type { Connections } from '../connections/service.ts';
import type { VendorCaller } from '../outbound/vendor-call.ts';
import type { Database } from '../store/database.ts';
import type { ActivityRecorder } from '../usage/recorder.ts';
import type { Vault } from '../vault/vault.ts';
import { deleteTriggersWithConnections, stopInvalidating } from './cleanup.ts';
import { signalsOnly } from './definition.ts';
import { Deliverer } from './delivery/deliverer.ts';
import { type Clock, DEFAULT_DELIVERY_POLICY, type DeliveryPolicy, SYSTEM_CLOCK } from './delivery/policy.ts';
import { deliveryAgent } from './delivery/target.ts';
import { InProcessQueue } from './jobs/in-process.ts';
import { PgBossQueue } from './jobs/pg-boss.ts';
import { type DeliveryJob, JOBS, type JobQueue, type QueueSettings, deliveryJobs } from './jobs/queue.ts';
import { Ticker } from './jobs/ticker.ts';
import type { TriggerRow } from './model.ts';
import { Poller, sourceOf } from './polling/poller.ts';
import { TriggerSecrets } from './secrets.ts';
import { Subscriptions } from './subscriptions/subscriptions.ts';
import { EndpointCache } from './webhooks/endpoints.ts';
import { GroupCommit } from './webhooks/group-commit.ts';
import { StartsMeter } from './webhooks/starts-meter.ts';
import { type LifecycleEvent, WebhookIngress } from './webhooks/ingress.ts';
import { WebhookRateLimiter } from './webhooks/rate-limit.ts';

export interface TriggerEngineOptions {
  clock: Clock;
  delivery: DeliveryPolicy;
  /** How often each instance looks for due polls, renewals and deliveries to retry. */
  tickMs: number;
  /** Webhook events per tenant per minute. */
  webhookRateLimit: number;
  allowPrivateTargets: boolean;
  /** Idle pg-boss workers look for jobs this often (a send from the same process wakes them at once). */
  workerPollingSeconds: number;
  /** Finished events are kept this long (dead letters: retentionDays * 4). */
  retentionDays: number;
  /** Connections this instance polls at once. Polls mostly wait for vendors, so this bounds poll throughput: concurrency / vendor latency. */
  pollConcurrency: number;
  /** Overrides the queue (tests). */
  queue?: JobQueue;
}

export const DEFAULT_ENGINE_OPTIONS: TriggerEngineOptions = {
  clock: SYSTEM_CLOCK,
  delivery: DEFAULT_DELIVERY_POLICY,
  tickMs: 5000,
  webhookRateLimit: 500,
  allowPrivateTargets: false,
  workerPollingSeconds: 2,
  retentionDays: 7,
  pollConcurrency: 64,
};

export interface TriggerEngineDeps {
  db: Database;
  vault: Vault;
  connections: Connections;
  vendor: VendorCaller;
  recorder: ActivityRecorder;
  logger: FastifyBaseLogger;
  publicUrl: string;
  connectorSetting: (connector: string, name: string) => string | undefined;
}

/** Poll jobs a worker takes at once and runs side by side: pollConcurrency / this = the poll workers. */
const POLLS_PER_WORKER = 4;

const QUEUES: Record<string, QueueSettings> = {
  // One poll per connection at a time, and one waiting: the claim in trigger_polls already makes it one per interval.
  [JOBS.poll]: { policy: 'stately', batchSize: POLLS_PER_WORKER, concurrency: 4, expireInSeconds: 300, retryLimit: 1 },
  [JOBS.deliver]: { policy: 'standard', batchSize: 2, concurrency: 4, expireInSeconds: 120, retryLimit: 2 },
  [JOBS.subscription]: { policy: 'stately', batchSize: 1, concurrency: 2, expireInSeconds: 300, retryLimit: 2 },
};

type SubscriptionJob = { triggerId: string; action: 'renew' | 'resubscribe' | 'catch-up' };

/**
 * The trigger engine: the webhook ingress and the background work (polls, deliveries,
 * subscription upkeep) on a job queue shared by every instance on PostgreSQL (pg-boss) or
 * in-process on the embedded store. The API (TriggerService) talks to it to start work at once
 * rather than at the next tick.
 */
export class TriggerEngine {
  readonly secrets: TriggerSecrets;
  readonly endpoints: EndpointCache;
  readonly poller: Poller;
  readonly deliverer: Deliverer;
  readonly subscriptions: Subscriptions;
  readonly ingress: WebhookIngress;
  /** Webhook trigger starts, summed for the usage ledger. */
  readonly starts: StartsMeter;
  readonly options: TriggerEngineOptions;
  /** What this instance did since it started (benchmarks, tests, operators). */
  readonly stats = { polls: 0, delivered: 0, failedAttempts: 0 };
  private readonly agent: Agent;
  private queue: JobQueue | undefined;
  private ticker: Ticker | undefined;
  private readonly invalidate = () => this.endpoints.invalidate();
  private pendingDeliveries: string[] = [];
  private deliveryFlush: NodeJS.Immediate | undefined;

  constructor(
    private readonly deps: TriggerEngineDeps,
    options: Partial<TriggerEngineOptions> = {},
  ) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
    const { db, logger } = deps;
    const clock = this.options.clock;
    this.secrets = new TriggerSecrets(deps.vault);
    this.endpoints = new EndpointCache({ db, vault: deps.vault, connections: deps.connections });
    this.agent = deliveryAgent(this.options.allowPrivateTargets);
    this.poller = new Poller({ db, connections: deps.connections, vendor: deps.vendor, recorder: deps.recorder, clock, logger, stored: (ids) => this.deliverSoon(ids) });
    this.deliverer = new Deliverer({ db, secrets: this.secrets, agent: this.agent, clock, policy: this.options.delivery, allowPrivateTargets: this.options.allowPrivateTargets, logger });
    this.subscriptions = new Subscriptions({ db, connections: deps.connections, vendor: deps.vendor, secrets: this.secrets, clock, logger, publicUrl: deps.publicUrl });
    this.starts = new StartsMeter(deps.recorder, clock);
    this.ingress = new WebhookIngress({
      writer: new GroupCommit(db),
      endpoints: this.endpoints,
      secrets: this.secrets,
      limiter: new WebhookRateLimiter(this.options.webhookRateLimit, () => clock.now().getTime()),
      starts: this.starts,
      clock,
      logger,
      connectorSetting: deps.connectorSetting,
      stored: (ids) => this.deliverSoon(ids),
      signal: (triggerId) => this.subscriptionJob(triggerId, 'catch-up'),
      lifecycle: (triggerId, event) => this.lifecycle(triggerId, event),
    });
    deleteTriggersWithConnections(this.secrets, this.invalidate, { db, remove: (row) => this.subscriptions.remove(row) });
  }

  get running(): boolean {
    return this.queue !== undefined;
  }

  get queueKind(): JobQueue['kind'] | undefined {
    return this.queue?.kind;
  }

  /** Starts the workers and the ticker of this instance. */
  async start(): Promise<void> {
    if (this.queue) return;
    const queue = this.options.queue ?? (this.deps.db.kind === 'postgres'
      ? new PgBossQueue(this.deps.db, { onError: (error) => this.deps.logger.error({ err: error }, 'job queue error'), pollingIntervalSeconds: this.options.workerPollingSeconds })
      : new InProcessQueue());
    await queue.start();
    for (const [name, settings] of Object.entries(QUEUES)) {
      await queue.define(name, name === JOBS.poll ? { ...settings, concurrency: Math.max(1, Math.ceil(this.options.pollConcurrency / POLLS_PER_WORKER)) } : settings);
    }
    await queue.work<{ connectionId: string }>(JOBS.poll, async (jobs) => {
      // Side by side: polls mostly wait for vendors. One poll's failure is its triggers' business, not its neighbours'.
      const results = await Promise.allSettled(jobs.map((job) => this.runPoll(job.data.connectionId)));
      for (const r of results) if (r.status === 'rejected') this.deps.logger.warn({ err: r.reason }, 'poll failed');
    });
    await queue.work<DeliveryJob>(JOBS.deliver, async (jobs) => {
      const done = await this.deliverer.deliver(jobs.flatMap((j) => j.data.eventIds));
      this.stats.delivered += done.delivered;
      this.stats.failedAttempts += done.failed;
    });
    await queue.work<SubscriptionJob>(JOBS.subscription, async ([job]) => this.runSubscriptionJob(job!.data));
    this.queue = queue;
    this.ticker = new Ticker({
      db: this.deps.db,
      clock: this.options.clock,
      logger: this.deps.logger,
      intervalMs: this.options.tickMs,
      retentionDays: this.options.retentionDays,
      queue,
      deliverer: this.deliverer,
      subscriptions: this.subscriptions,
      signalTriggers: () => this.signalTriggers(),
    });
    this.ticker.start();
  }

  async stop(): Promise<void> {
    stopInvalidating(this.invalidate);
    if (this.deliveryFlush) {
      clearImmediate(this.deliveryFlush);
      this.deliveryFlush = undefined;
      await this.queue?.sendMany(JOBS.deliver, deliveryJobs(this.pendingDeliveries.splice(0))).catch(() => {});
    }
    await this.ticker?.stop();
    this.ticker = undefined;
    const queue = this.queue;
    this.queue = undefined;
    await queue?.stop();
    await this.agent.close().catch(() => {});
    this.starts.flush();
  }

  /** Runs one tick now (tests, and after an API change that makes work due). */
  async tick(): Promise<void> {
    await this.ticker?.tick();
  }

  /**
   * Queues the delivery of stored events. Ids stored at about the same time travel together,
   * up to DELIVERY_JOB_SIZE per job, so a burst costs a few job rows instead of one per event.
   * Without running workers the sweep of a running instance finds them.
   */
  deliverSoon(eventIds: string[]): void {
    if (!this.queue || eventIds.length === 0) return;
    this.pendingDeliveries.push(...eventIds);
    if (this.deliveryFlush) return;
    this.deliveryFlush = setImmediate(() => {
      this.deliveryFlush = undefined;
      const ids = this.pendingDeliveries.splice(0);
      this.queue?.sendMany(JOBS.deliver, deliveryJobs(ids)).catch((error) => this.deps.logger.warn({ err: error }, 'could not queue deliveries; the sweep will'));
    });
  }

  /** Polls the connection now (a trigger was created or enabled); the schedule row was already made due. */
  pollSoon(): void {
    if (this.ticker) void this.ticker.tick();
  }

  subscriptionJob(triggerId: string, action: SubscriptionJob['action']): void {
    if (!this.queue) return;
    this.queue.send(JOBS.subscription, { triggerId, action }, { singletonKey: `${triggerId}:${action}` }).catch((error) => this.deps.logger.warn({ err: error }, 'could not queue subscription upkeep'));
  }

  /** Enabled webhook triggers, subscribed at the vendor, whose events come from their catch-up poll. */
  private async signalTriggers(): Promise<string[]> {
    const rows = await this.deps.db.query<TriggerRow>(
      `SELECT t.* FROM triggers t JOIN trigger_subscriptions s ON s.trigger_id = t.id WHERE t.mode = 'webhook' AND t.status = 'Enabled'`,
    );
    return rows.filter((row) => {
      try {
        return signalsOnly(sourceOf({ connector: this.deps.connections.connectorOf(row.connector_key) }, row));
      } catch {
        return false;
      }
    }).map((row) => row.id);
  }

  private lifecycle(triggerId: string, event: LifecycleEvent): void {
    this.deps.logger.info({ triggerId, lifecycleEvent: event }, 'subscription lifecycle notification');
    if (event === 'reauthorizationRequired') this.subscriptionJob(triggerId, 'renew');
    else if (event === 'subscriptionRemoved') this.subscriptionJob(triggerId, 'resubscribe');
    else this.subscriptionJob(triggerId, 'catch-up');
  }

  private async runPoll(connectionId: string): Promise<void> {
    const summary = await this.poller.pollConnection(connectionId);
    if (summary.triggers > 0) this.stats.polls++;
    const now = this.options.clock.now();
    if (summary.triggers === 0) {
      // Nothing polls on this connection any more: take it off the schedule (unless a trigger just came back).
      await this.deps.db.query(
        `DELETE FROM trigger_polls WHERE connection_id = $1 AND NOT EXISTS (SELECT 1 FROM triggers WHERE connection_id = $1 AND mode = 'polling' AND status = 'Enabled')`,
        [connectionId],
      );
    } else {
      await this.deps.db.query('UPDATE trigger_polls SET last_finished_at = $2 WHERE connection_id = $1', [connectionId, now]);
    }
  }

  private async runSubscriptionJob(job: SubscriptionJob): Promise<void> {
    if (job.action === 'renew') return this.subscriptions.renew(job.triggerId);
    if (job.action === 'resubscribe') {
      await this.subscriptions.resubscribe(job.triggerId, 'removed');
      await this.poller.catchUp(job.triggerId);
      return;
    }
    await this.poller.catchUp(job.triggerId);
  }
}
