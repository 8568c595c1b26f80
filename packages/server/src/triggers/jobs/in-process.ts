import { randomUUID } from 'node:crypto';
import type { Job, JobHandler, JobOptions, JobQueue, QueueSettings } from './queue.ts';

interface Lane {
  settings: QueueSettings;
  handler: JobHandler<unknown> | undefined;
  waiting: Array<Job<unknown> & { key: string | undefined; tries: number }>;
  /** Singleton keys waiting and running, for the stately policy. */
  waitingKeys: Set<string>;
  runningKeys: Set<string>;
  running: number;
}

/**
 * The job queue of the embedded store: the same contract as pg-boss, in memory. The embedded
 * store belongs to one process, so there is nobody to share jobs with; what a restart loses
 * here, the ticker's sweeps find again in the store.
 */
export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly lanes = new Map<string, Lane>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<Promise<void>>();
  private stopped = false;

  async start(): Promise<void> {
    this.stopped = false;
  }

  async define(name: string, settings: QueueSettings): Promise<void> {
    if (!this.lanes.has(name)) this.lanes.set(name, { settings, handler: undefined, waiting: [], waitingKeys: new Set(), runningKeys: new Set(), running: 0 });
  }

  async send<T extends object>(name: string, data: T, options: JobOptions = {}): Promise<void> {
    await this.sendMany(name, [{ data, options }]);
  }

  async sendMany<T extends object>(name: string, items: Array<{ data: T; options?: JobOptions }>): Promise<void> {
    const lane = this.lane(name);
    for (const { data, options = {} } of items) {
      const job = { id: randomUUID(), data: data as unknown, key: options.singletonKey, tries: 0 };
      if (options.startAfterMs && options.startAfterMs > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.enqueue(name, lane, job);
        }, options.startAfterMs);
        timer.unref();
        this.timers.add(timer);
      } else {
        this.enqueue(name, lane, job);
      }
    }
  }

  async work<T>(name: string, handler: JobHandler<T>): Promise<void> {
    this.lane(name).handler = handler as JobHandler<unknown>;
    this.pump(name);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inflight]);
  }

  private lane(name: string): Lane {
    const lane = this.lanes.get(name);
    if (!lane) throw new Error(`job queue ${name} is not defined`);
    return lane;
  }

  private enqueue(name: string, lane: Lane, job: Lane['waiting'][number]): void {
    if (this.stopped) return;
    if (lane.settings.policy === 'stately' && job.key !== undefined) {
      if (lane.waitingKeys.has(job.key)) return;
      lane.waitingKeys.add(job.key);
    }
    lane.waiting.push(job);
    this.pump(name);
  }

  private pump(name: string): void {
    const lane = this.lane(name);
    while (!this.stopped && lane.handler && lane.running < lane.settings.concurrency && lane.waiting.length > 0) {
      const batch = this.take(lane);
      if (batch.length === 0) return;
      lane.running++;
      const run = this.run(name, lane, batch).finally(() => {
        lane.running--;
        this.inflight.delete(run);
        this.pump(name);
      });
      this.inflight.add(run);
    }
  }

  /** The next batch; a stately job whose key is running waits for that run to end. */
  private take(lane: Lane): Lane['waiting'] {
    const batch: Lane['waiting'] = [];
    for (let i = 0; i < lane.waiting.length && batch.length < lane.settings.batchSize; ) {
      const job = lane.waiting[i]!;
      if (lane.settings.policy === 'stately' && job.key !== undefined) {
        if (lane.runningKeys.has(job.key) || batch.some((b) => b.key === job.key)) {
          i++;
          continue;
        }
        lane.waitingKeys.delete(job.key);
        lane.runningKeys.add(job.key);
      }
      lane.waiting.splice(i, 1);
      batch.push(job);
    }
    return batch;
  }

  private async run(name: string, lane: Lane, batch: Lane['waiting']): Promise<void> {
    try {
      await lane.handler!(batch.map((j) => ({ id: j.id, data: j.data })));
    } catch {
      // Like pg-boss: a failed batch is retried as a whole, a little later, a few times.
      for (const job of batch) {
        if (++job.tries <= lane.settings.retryLimit && !this.stopped) {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            this.enqueue(name, lane, job);
          }, 1000 * job.tries);
          timer.unref();
          this.timers.add(timer);
        }
      }
    } finally {
      for (const job of batch) if (job.key !== undefined) lane.runningKeys.delete(job.key);
    }
  }
}
