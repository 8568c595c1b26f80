import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../store/database.ts';
import { sweepDebugSessions } from '../troubleshooting/debug.ts';
import { sweepRequestLogs } from '../troubleshooting/log-rows.ts';
import { sweepUsage } from './ledger.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Debug bodies hold business data and are for troubleshooting now, not for the record. */
export const BODY_RETENTION_HOURS = 24;

export interface RetentionOptions {
  /** SWITCHBOARD_LOG_RETENTION_DAYS: request log entries. */
  logRetentionDays: number;
  /** SWITCHBOARD_USAGE_RETENTION_DAYS: the usage ledger. */
  usageRetentionDays: number;
  logger: Pick<FastifyBaseLogger, 'info' | 'warn'>;
  intervalMs?: number;
}

export interface SweepResult {
  logEntries: number;
  logBodies: number;
  usageRows: number;
  debugSessions: number;
}

/**
 * Deletes what has outlived its retention: debug bodies after a day, request log entries
 * after SWITCHBOARD_LOG_RETENTION_DAYS, ledger rows after SWITCHBOARD_USAGE_RETENTION_DAYS,
 * expired debug switches. Runs hourly in the background; every instance may run it (the
 * deletes are idempotent), and a store lock keeps them from doing the same work at once.
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: RetentionOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    const run = () => void this.sweep().catch((error: unknown) => this.options.logger.warn({ err: { message: String((error as Error)?.message ?? error).slice(0, 200) } }, 'retention: sweep failed; will retry'));
    this.timer = setInterval(run, this.options.intervalMs ?? HOUR_MS);
    this.timer.unref();
    run();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async sweep(now = Date.now()): Promise<SweepResult> {
    return this.db.withLock('switchboard:retention-sweep', async () => {
      const logEntries = new Date(now - this.options.logRetentionDays * DAY_MS);
      const logBodies = new Date(Math.max(logEntries.getTime(), now - BODY_RETENTION_HOURS * HOUR_MS));
      const logs = await sweepRequestLogs(this.db, { entries: logEntries, bodies: logBodies });
      const usageRows = await sweepUsage(this.db, new Date(now - this.options.usageRetentionDays * DAY_MS));
      const debugSessions = await sweepDebugSessions(this.db);
      const result = { logEntries: logs.entries, logBodies: logs.bodies, usageRows, debugSessions };
      if (logs.entries + logs.bodies + usageRows > 0) this.options.logger.info(result, 'retention: deleted expired request logs and usage rows');
      return result;
    });
  }
}
