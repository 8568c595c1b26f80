import PgBoss from 'pg-boss';
import type { Database } from '../../store/database.ts';
import type { Job, JobHandler, JobOptions, JobQueue, QueueSettings } from './queue.ts';

export interface PgBossQueueOptions {
  onError: (error: Error) => void;
  /** How often an idle worker looks for jobs; a send from this process wakes its workers at once. */
  pollingIntervalSeconds?: number;
}

/**
 * The job queue on PostgreSQL: pg-boss (SKIP LOCKED job fetching, singleton policies,
 * expiry and retry of jobs whose worker died), shared by every instance on the store.
 * It talks through the store's own pool, so it lives wherever the store lives (a test's
 * schema included); its tables are in a schema of their own next to the store's.
 */
export class PgBossQueue implements JobQueue {
  readonly kind = 'pg-boss' as const;
  private boss: PgBoss | undefined;
  private readonly settings = new Map<string, QueueSettings>();
  private readonly workers = new Map<string, string[]>();

  constructor(
    private readonly db: Database,
    private readonly options: PgBossQueueOptions,
  ) {}

  async start(): Promise<void> {
    const [row] = await this.db.query<{ schema: string }>('SELECT current_schema() AS schema');
    const current = row?.schema ?? 'public';
    const boss = new PgBoss({
      db: {
        executeSql: async (text: string, values?: unknown[]) => ({ rows: (await this.db.query(text, values)) ?? [] }),
      },
      schema: current === 'public' ? 'pgboss' : `${current}_pgboss`,
      // Cron is not used: the ticker claims due work itself, at a finer grain than a minute.
      schedule: false,
      supervise: true,
      migrate: true,
    });
    boss.on('error', (error) => this.options.onError(error));
    await boss.start();
    this.boss = boss;
  }

  /** The schema pg-boss keeps its tables in for this store (tests drop it). */
  static async schemaFor(db: Database): Promise<string> {
    const [row] = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
    return row?.schema === 'public' || !row ? 'pgboss' : `${row.schema}_pgboss`;
  }

  async define(name: string, settings: QueueSettings): Promise<void> {
    this.settings.set(name, settings);
    const queue: PgBoss.Queue = { name, policy: settings.policy, retryLimit: settings.retryLimit, retryDelay: 1, retryBackoff: true, expireInSeconds: settings.expireInSeconds };
    await this.required().createQueue(name, queue);
    // createQueue keeps an existing queue as it was; bring its settings up to date.
    await this.required().updateQueue(name, queue);
  }

  async send<T extends object>(name: string, data: T, options: JobOptions = {}): Promise<void> {
    await this.required().send(name, data, this.sendOptions(options));
    this.wake(name);
  }

  async sendMany<T extends object>(name: string, items: Array<{ data: T; options?: JobOptions }>): Promise<void> {
    if (items.length === 0) return;
    // One INSERT for all; its ON CONFLICT DO NOTHING is what drops a stately queue's duplicates.
    await this.required().insert(
      items.map((item) => ({
        name,
        data: item.data,
        ...(item.options?.startAfterMs ? { startAfter: new Date(Date.now() + item.options.startAfterMs) } : {}),
        ...(item.options?.singletonKey ? { singletonKey: item.options.singletonKey } : {}),
      })),
    );
    this.wake(name);
  }

  async work<T>(name: string, handler: JobHandler<T>): Promise<void> {
    const settings = this.settings.get(name);
    if (!settings) throw new Error(`job queue ${name} is not defined`);
    const ids: string[] = [];
    for (let i = 0; i < settings.concurrency; i++) {
      let id = '';
      id = await this.required().work<T>(name, { batchSize: settings.batchSize, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 }, async (jobs) => {
        await handler(jobs.map((j): Job<T> => ({ id: j.id, data: j.data })));
        // A worker that found work looks for more at once; pg-boss would otherwise pause for its
        // polling interval after every quick batch, capping a worker at one batch per interval.
        if (jobs.length > 0) this.boss?.notifyWorker(id);
      });
      ids.push(id);
    }
    this.workers.set(name, ids);
  }

  async stop(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    // graceful: running handlers finish (their jobs complete); the pool is the store's, left open.
    await boss?.stop({ graceful: true, wait: true, timeout: 15_000, close: false });
  }

  private sendOptions(options: JobOptions): PgBoss.SendOptions {
    return {
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      ...(options.startAfterMs ? { startAfter: Math.max(1, Math.ceil(options.startAfterMs / 1000)) } : {}),
    };
  }

  /** A job sent here is usually best run here at once: skip the polling wait of an idle worker. */
  private wake(name: string): void {
    for (const id of this.workers.get(name) ?? []) this.boss?.notifyWorker(id);
  }

  private required(): PgBoss {
    if (!this.boss) throw new Error('the job queue is not started');
    return this.boss;
  }
}
