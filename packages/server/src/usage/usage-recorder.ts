import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { isUuid } from '../access/ids.ts';
import type { Database } from '../store/database.ts';
import { type RequestBodyRow, type RequestLogRow, insertRequestBodies, insertRequestLogs } from '../troubleshooting/log-rows.ts';
import { clean, redactBody, redactUrl } from '../troubleshooting/redact.ts';
import { type UsageRow, addInto, aggregateKey, insertUsageRows } from './ledger.ts';
import type { QuotaGuard } from './quota.ts';
import type { ActivityRecorder, VendorCallRecord } from './recorder.ts';

export interface UsageRecorderOptions {
  logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Write what is buffered at least this often. */
  flushMs?: number;
  /** Rows per INSERT; reaching it also starts a write at once. */
  batchSize?: number;
  /** Calls kept in full while the store cannot be written; beyond it, calls are summed (see below). */
  maxBuffered?: number;
  now?: () => number;
}

export interface FlushResult {
  /** False when the store refused the write; everything is kept for the next attempt. */
  ok: boolean;
  /** Calls written by this flush. */
  written: number;
  /** Calls still waiting. */
  buffered: number;
}

interface Pending {
  usage: UsageRow;
  log: RequestLogRow;
  body: RequestBodyRow | undefined;
}

const KINDS = new Set<VendorCallRecord['kind']>(['activity', 'http-request', 'trigger', 'identity']);
const INT4_MAX = 2_147_483_647;

/**
 * The real ActivityRecorder: every vendor call becomes a usage ledger row and a request log
 * entry (with redacted bodies while debug is on for the connection).
 *
 * `record()` only validates and buffers, so it costs the request nothing and can never fail
 * it. The buffer is written every `flushMs`, or as soon as `batchSize` calls wait, with one
 * multi-row INSERT per table in one transaction. A failed write keeps the rows and retries
 * with backoff. If the store stays unreachable and the buffer reaches `maxBuffered`, further
 * calls are summed per tenant, connection, operation, day and outcome: their request log
 * entries are dropped (with a warning), but calls, billable units, errors and bytes stay
 * exact, so bills and quotas survive an outage. Only when the sums themselves reach
 * `maxBuffered` keys are calls dropped outright (logged as an error).
 */
export class UsageRecorder implements ActivityRecorder {
  private buffer: Pending[] = [];
  private overflow = new Map<string, UsageRow>();
  private inflight: UsageRow[] = [];
  private draining = false;
  private immediate = false;
  private tail: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private nextAttemptAt = 0;
  private droppedLogs = 0;
  private droppedCalls = 0;
  private rejected = 0;
  private readonly flushMs: number;
  private readonly batchSize: number;
  private readonly maxBuffered: number;
  private readonly now: () => number;
  private readonly log: UsageRecorderOptions['logger'];

  constructor(
    private readonly db: Database,
    private readonly quota: QuotaGuard,
    private readonly debug: { wantsBodies(connectionId: string): boolean },
    options: UsageRecorderOptions,
  ) {
    this.flushMs = options.flushMs ?? 1000;
    this.batchSize = options.batchSize ?? 500;
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.now = options.now ?? Date.now;
    this.log = options.logger;
    quota.pending = (tenantId) => this.pendingUnits(tenantId);
  }

  /** Starts the periodic write; the timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (!this.draining && this.size() > 0 && this.now() >= this.nextAttemptAt) void this.flush();
    }, this.flushMs);
    this.timer.unref();
  }

  record(entry: VendorCallRecord): void {
    try {
      this.accept(entry);
    } catch (error) {
      // A recorder bug must not fail the vendor call that is being reported.
      this.log.error({ err: error }, 'usage: could not record a vendor call');
    }
  }

  beforeCall(call: { tenantId: string; kind: VendorCallRecord['kind'] }): Promise<void> {
    // Checking a connection is never billable, and must work to diagnose a tenant over quota.
    return call.kind === 'identity' ? Promise.resolve() : this.quota.check(call.tenantId);
  }

  wantsBodies(connectionId: string): boolean {
    return this.debug.wantsBodies(connectionId);
  }

  /** Writes everything buffered now. Never rejects; flushes run one at a time. */
  flush(): Promise<FlushResult> {
    const run = this.tail.then(() => this.drain());
    this.tail = run.catch(() => {});
    return run;
  }

  /** Stops the timer and writes what is left; what cannot be written is reported, not thrown. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const result = await this.flush();
    if (!result.ok) this.log.error({ lostCalls: result.buffered }, 'usage: the store could not be written at shutdown; buffered calls are lost');
  }

  /** Billable units this instance recorded but has not stored yet (the quota counts them too). */
  pendingUnits(tenantId: string): number {
    let units = 0;
    for (const p of this.buffer) if (p.usage.tenantId === tenantId) units += p.usage.billableUnits;
    for (const row of this.overflow.values()) if (row.tenantId === tenantId) units += row.billableUnits;
    for (const row of this.inflight) if (row.tenantId === tenantId) units += row.billableUnits;
    return units;
  }

  private size(): number {
    return this.buffer.length + this.overflow.size;
  }

  private accept(entry: VendorCallRecord): void {
    if (!isUuid(String(entry.tenantId)) || !isUuid(String(entry.folderId)) || !isUuid(String(entry.connectionId)) || !KINDS.has(entry.kind)) {
      // The store would refuse the row, and with it the whole batch, forever: refuse it here.
      if (this.rejected++ % 1000 === 0) this.log.warn({ kind: String(entry.kind).slice(0, 40), rejected: this.rejected }, 'usage: ignored a vendor call record without valid ids or kind');
      return;
    }
    const status = Number.isInteger(entry.status) && entry.status! >= 100 && entry.status! <= 599 ? entry.status : null;
    const errorCode = entry.errorCode ? text(entry.errorCode, 100) : null;
    const ok = errorCode === null && (status === null || status < 400);
    const units = entry.billable && ok && entry.kind !== 'identity' ? Math.min(count(entry.units ?? 1), 1000) : 0;
    const at = entry.at instanceof Date && !Number.isNaN(entry.at.getTime()) ? entry.at : new Date(this.now());
    const usage: UsageRow = {
      at,
      tenantId: entry.tenantId,
      folderId: entry.folderId,
      connectionId: entry.connectionId,
      connector: text(entry.connector, 100),
      kind: entry.kind,
      operation: text(entry.operation, 200),
      status,
      errorCode,
      ok,
      calls: 1,
      billableUnits: units,
      requestBytes: count(entry.requestBytes),
      responseBytes: count(entry.responseBytes),
      durationMs: Math.min(count(entry.durationMs), INT4_MAX),
    };
    if (units > 0) this.quota.charge(entry.tenantId, units);

    if (this.buffer.length >= this.maxBuffered) {
      this.spill(usage);
      return;
    }
    const id = randomUUID();
    const log: RequestLogRow = {
      id,
      at,
      requestId: text(entry.requestId, 128),
      tenantId: entry.tenantId,
      folderId: entry.folderId,
      connectionId: entry.connectionId,
      connector: usage.connector,
      kind: entry.kind,
      operation: usage.operation,
      method: text(entry.method, 16).toUpperCase(),
      url: redactUrl(String(entry.redactedUrl ?? '')),
      status,
      errorCode,
      durationMs: usage.durationMs,
      attempts: Math.min(count(entry.attempts), INT4_MAX),
      requestBytes: usage.requestBytes,
      responseBytes: usage.responseBytes,
    };
    this.buffer.push({ usage, log, body: this.bodiesOf(id, at, entry) });
    if (this.buffer.length >= this.batchSize) this.flushSoon();
  }

  /** Bodies are kept only while debug is on for the connection, whatever the caller sent. */
  private bodiesOf(logId: string, at: Date, entry: VendorCallRecord): RequestBodyRow | undefined {
    const hasRequest = typeof entry.requestBody === 'string';
    const hasResponse = typeof entry.responseBody === 'string';
    if ((!hasRequest && !hasResponse) || !this.debug.wantsBodies(entry.connectionId)) return undefined;
    const request = hasRequest ? redactBody(entry.requestBody!) : undefined;
    const response = hasResponse ? redactBody(entry.responseBody!) : undefined;
    return {
      logId,
      at,
      requestBody: request?.text ?? null,
      responseBody: response?.text ?? null,
      requestTruncated: request?.truncated ?? false,
      responseTruncated: response?.truncated ?? false,
    };
  }

  private spill(usage: UsageRow): void {
    if (this.droppedLogs === 0 && this.droppedCalls === 0) {
      this.log.warn({ buffered: this.buffer.length }, 'usage: buffer full because the store cannot be written; request log entries are dropped and calls are summed per connection and day until it recovers');
    }
    const key = aggregateKey(usage);
    const sum = this.overflow.get(key);
    if (!sum && this.overflow.size >= this.maxBuffered) {
      if (this.droppedCalls++ === 0) this.log.error({ buffered: this.size() }, 'usage: summed calls are full too; vendor calls are no longer counted until the store recovers');
      return;
    }
    this.droppedLogs++;
    this.overflow.set(key, addInto(sum, usage));
  }

  private flushSoon(): void {
    if (this.immediate || this.draining || this.now() < this.nextAttemptAt) return;
    this.immediate = true;
    setImmediate(() => {
      this.immediate = false;
      void this.flush();
    });
  }

  private async drain(): Promise<FlushResult> {
    this.draining = true;
    let written = 0;
    try {
      while (this.size() > 0) {
        const batch = this.buffer.splice(0, this.batchSize);
        const sums = [...this.overflow.entries()].slice(0, this.batchSize);
        for (const [key] of sums) this.overflow.delete(key);
        const usage = [...batch.map((p) => p.usage), ...sums.map(([, row]) => row)];
        this.inflight = usage;
        try {
          await this.db.transaction(async (tx) => {
            await insertUsageRows(tx, usage);
            await insertRequestLogs(tx, batch.map((p) => p.log));
            await insertRequestBodies(tx, batch.flatMap((p) => (p.body ? [p.body] : [])));
          });
        } catch (error) {
          this.buffer.unshift(...batch);
          for (const [key, row] of sums) this.overflow.set(key, addInto(this.overflow.get(key), row));
          this.failed(error);
          return { ok: false, written, buffered: this.callsWaiting() };
        } finally {
          this.inflight = [];
        }
        written += usage.reduce((n, row) => n + row.calls, 0);
        this.recovered();
      }
      return { ok: true, written, buffered: 0 };
    } finally {
      this.draining = false;
    }
  }

  private callsWaiting(): number {
    let n = this.buffer.length;
    for (const row of this.overflow.values()) n += row.calls;
    return n;
  }

  private failed(error: unknown): void {
    this.failures++;
    const delay = Math.min(60_000, this.flushMs * 2 ** Math.min(this.failures, 10));
    this.nextAttemptAt = this.now() + delay;
    const e = error as { code?: string; message?: string };
    // Only the code and a short message: a driver's error text could quote a row.
    this.log.warn(
      { err: { code: e?.code, message: String(e?.message ?? error).slice(0, 200) }, failures: this.failures, buffered: this.callsWaiting(), retryInMs: delay },
      'usage: could not write the usage ledger and request logs; will retry',
    );
  }

  private recovered(): void {
    if (this.failures > 0 || this.droppedLogs > 0 || this.droppedCalls > 0) {
      this.log.warn(
        { failures: this.failures, droppedLogEntries: this.droppedLogs, uncountedCalls: this.droppedCalls },
        'usage: the store is written again',
      );
    }
    this.failures = 0;
    this.nextAttemptAt = 0;
    this.droppedLogs = 0;
    this.droppedCalls = 0;
  }
}

function text(value: unknown, max: number): string {
  return clean(String(value ?? '')).slice(0, max);
}

/** A non-negative integer from whatever the caller sent (NaN, negatives and fractions included). */
function count(value: unknown): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.min(Math.round(n), Number.MAX_SAFE_INTEGER) : 0;
}
