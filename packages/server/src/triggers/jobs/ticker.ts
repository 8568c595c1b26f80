import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../store/database.ts';
import type { Deliverer } from '../delivery/deliverer.ts';
import type { Clock } from '../delivery/policy.ts';
import type { Subscriptions } from '../subscriptions/subscriptions.ts';
import { JOBS, type JobQueue, deliveryJobs } from './queue.ts';

const RETENTION_EVERY_MS = 60 * 60 * 1000;
/** Connections claimed per statement; a pass claims until none are due. */
const POLL_CLAIM = 200;

/**
 * Each instance's clock of due work. Every tick it claims, in the store, what is due and
 * queues it: polls (moving each connection's next_poll_at forward by its interval in the same
 * UPDATE, so among any number of instances one claims each poll), subscription renewals,
 * deliveries to retry or to take over from a dead worker; and, hourly, it deletes old events
 * and catches up webhook triggers whose notifications only signal changes.
 * Claims use SKIP LOCKED, so instances never wait for each other.
 */
export class Ticker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastRetention = 0;
  private stopped = false;

  constructor(
    private readonly deps: {
      db: Database;
      clock: Clock;
      logger: FastifyBaseLogger;
      intervalMs: number;
      retentionDays: number;
      queue: JobQueue;
      deliverer: Deliverer;
      subscriptions: Subscriptions;
      /** Webhook triggers whose notifications only signal changes: caught up hourly, in case a notification was lost. */
      signalTriggers: () => Promise<string[]>;
    },
  ) {}

  start(): void {
    this.stopped = false;
    const loop = () => {
      this.timer = setTimeout(async () => {
        await this.tick();
        if (!this.stopped) loop();
      }, this.deps.intervalMs);
      this.timer.unref();
    };
    void this.tick();
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass; overlapping calls share the pass in progress. */
  async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.running) return this.running;
    this.running = this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    const { queue } = this.deps;
    try {
      for (;;) {
        const polls = await this.claimPolls();
        await queue.sendMany(JOBS.poll, polls.map((connectionId) => ({ data: { connectionId }, options: { singletonKey: connectionId } })));
        if (polls.length < POLL_CLAIM) break;
      }
      const renewals = await this.deps.subscriptions.claimDue();
      await queue.sendMany(JOBS.subscription, renewals.map((triggerId) => ({ data: { triggerId, action: 'renew' }, options: { singletonKey: `${triggerId}:renew` } })));
      for (;;) {
        const due = await this.deps.deliverer.sweep();
        await queue.sendMany(JOBS.deliver, deliveryJobs(due));
        if (due.length < 1000) break;
      }
      const now = this.deps.clock.now().getTime();
      if (now - this.lastRetention >= RETENTION_EVERY_MS) {
        this.lastRetention = now;
        await this.retention();
        // Also at start: a notification acknowledged just before a crash of the in-process queue is read now.
        const signalled = await this.deps.signalTriggers();
        await queue.sendMany(JOBS.subscription, signalled.map((triggerId) => ({ data: { triggerId, action: 'catch-up' }, options: { singletonKey: `${triggerId}:catch-up` } })));
      }
    } catch (error) {
      if (!this.stopped) this.deps.logger.warn({ err: error }, 'trigger upkeep pass failed; the next one retries');
    }
  }

  private async claimPolls(): Promise<string[]> {
    const now = this.deps.clock.now();
    const rows = await this.deps.db.query<{ connection_id: string }>(
      `UPDATE trigger_polls p
          SET next_poll_at = $1::timestamptz + make_interval(mins => c.polling_interval_minutes), last_started_at = $1, polls = p.polls + 1
         FROM connections c
        WHERE c.id = p.connection_id
          AND p.connection_id IN (SELECT connection_id FROM trigger_polls WHERE next_poll_at <= $1 ORDER BY next_poll_at LIMIT ${POLL_CLAIM} FOR UPDATE SKIP LOCKED)
        RETURNING p.connection_id`,
      [now],
    );
    return rows.map((r) => r.connection_id);
  }

  /** Delivered and acknowledged events go after retentionDays; dead letters stay four times as long, to be replayed. */
  private async retention(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const day = 24 * 60 * 60 * 1000;
    await this.deps.db.query(
      `DELETE FROM trigger_events WHERE id IN (
         SELECT id FROM trigger_events
          WHERE finished_at IS NOT NULL AND ((state IN ('delivered', 'acked') AND finished_at < $1) OR (state = 'dead' AND finished_at < $2))
          LIMIT 10000)`,
      [new Date(now - this.deps.retentionDays * day), new Date(now - 4 * this.deps.retentionDays * day)],
    );
  }
}
