import type { FastifyBaseLogger } from 'fastify';
import { type Agent, request } from 'undici';
import type { Database } from '../../store/database.ts';
import { type EventRow, type Target, type TriggerRow, envelopeOf } from '../model.ts';
import { recordNotice } from '../outbox.ts';
import type { TriggerSecrets } from '../secrets.ts';
import { type Clock, type DeliveryPolicy, retryAfterMs } from './policy.ts';
import { signatureHeaders } from './signing.ts';
import { TargetRefusedError, checkTargetUrl } from './target.ts';

type Claimed = EventRow & Pick<TriggerRow, 'target' | 'connection_id' | 'connector_key' | 'folder_id'>;

interface Outcome {
  event: Claimed;
  ok: boolean;
  status: number | null;
  error: string | null;
  retryAfter?: number | undefined;
  /** Retrying cannot help (the target is not allowed): dead-letter now. */
  permanent?: boolean;
}

const USER_AGENT = 'Switchboard-Webhooks/1';
const MAX_ERROR = 500;

/**
 * Delivers stored events to webhook targets, at least once. An attempt first claims its
 * events with a lease (state delivering, next_attempt_at = lease end) in one UPDATE, so two
 * workers never send the same event at once, and a worker that dies mid-delivery leaves
 * events that another worker takes over when the lease ends. Success marks them delivered;
 * failure schedules a retry with backoff, or dead-letters them when the retry window is over.
 */
export class Deliverer {
  constructor(
    private readonly deps: {
      db: Database;
      secrets: TriggerSecrets;
      agent: Agent;
      clock: Clock;
      policy: DeliveryPolicy;
      allowPrivateTargets: boolean;
      logger: FastifyBaseLogger;
    },
  ) {}

  /** The delivery job: attempts the given events that are due and not taken. Returns how many were delivered and how many failed. */
  async deliver(ids: string[]): Promise<{ delivered: number; failed: number }> {
    if (ids.length === 0) return { delivered: 0, failed: 0 };
    const claimed = await this.claim(ids);
    if (claimed.length === 0) return { delivered: 0, failed: 0 };
    const outcomes = await Promise.all(claimed.map((event) => this.attempt(event)));
    await this.settle(outcomes);
    const delivered = outcomes.filter((o) => o.ok).length;
    return { delivered, failed: outcomes.length - delivered };
  }

  private async claim(ids: string[]): Promise<Claimed[]> {
    const now = this.deps.clock.now();
    return this.deps.db.query<Claimed>(
      `UPDATE trigger_events e SET state = 'delivering', attempts = e.attempts + 1, last_attempt_at = $2, next_attempt_at = $3
         FROM triggers t
        WHERE e.id = ANY($1::uuid[]) AND t.id = e.trigger_id AND e.delivery = 'webhook'
          AND e.state IN ('pending', 'delivering') AND e.next_attempt_at <= $2
        RETURNING e.*, t.target, t.connection_id, t.connector_key, t.folder_id`,
      [ids, now, new Date(now.getTime() + this.deps.policy.leaseMs)],
    );
  }

  private async attempt(event: Claimed): Promise<Outcome> {
    const target = event.target as Target;
    if (target.type !== 'webhook') return { event, ok: false, status: null, error: 'the trigger no longer delivers to a webhook', permanent: true };
    let url: URL;
    try {
      url = checkTargetUrl(target.url, this.deps.allowPrivateTargets);
    } catch (error) {
      return { event, ok: false, status: null, error: (error as Error).message, permanent: true };
    }
    const key = await this.deps.secrets.signingKey(event.trigger_id);
    if (!key) return { event, ok: false, status: null, error: 'the trigger has no signing secret', permanent: true };
    const body = JSON.stringify(envelopeOf(event, event));
    const timestamp = Math.floor(this.deps.clock.now().getTime() / 1000);
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.deps.agent,
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...signatureHeaders(key, event.id, timestamp, body) },
        body,
        headersTimeout: this.deps.policy.timeoutMs,
        bodyTimeout: this.deps.policy.timeoutMs,
        signal: AbortSignal.timeout(this.deps.policy.timeoutMs),
      });
      // The answer's body is not needed; read a little of it for the error message and let go.
      const text = res.statusCode >= 300 ? (await res.body.text()).slice(0, 200) : (await res.body.dump(), '');
      if (res.statusCode >= 200 && res.statusCode < 300) return { event, ok: true, status: res.statusCode, error: null };
      const retryAfter = retryAfterMs(headerValue(res.headers['retry-after']), this.deps.clock.now());
      return { event, ok: false, status: res.statusCode, error: `the target answered ${res.statusCode}${text ? `: ${text}` : ''}`, retryAfter };
    } catch (error) {
      const refused = error instanceof TargetRefusedError || (error as { cause?: unknown }).cause instanceof TargetRefusedError;
      return { event, ok: false, status: null, error: describe(error), permanent: refused };
    }
  }

  private async settle(outcomes: Outcome[]): Promise<void> {
    const now = this.deps.clock.now();
    const delivered = outcomes.filter((o) => o.ok);
    if (delivered.length) {
      // Guarded by the attempt number: if the lease ran out and another worker took the event over, its result wins.
      await this.deps.db.query(
        `UPDATE trigger_events e SET state = 'delivered', finished_at = $2, last_status = d.status, last_error = NULL
           FROM (SELECT unnest($1::uuid[]) AS id, unnest($3::int[]) AS attempts, unnest($4::int[]) AS status) d
          WHERE e.id = d.id AND e.state = 'delivering' AND e.attempts = d.attempts`,
        [delivered.map((o) => o.event.id), now, delivered.map((o) => o.event.attempts), delivered.map((o) => o.status)],
      );
    }
    for (const o of outcomes.filter((x) => !x.ok)) await this.failed(o, now);
  }

  private async failed(o: Outcome, now: Date): Promise<void> {
    const { policy } = this.deps;
    const wait = Math.max(policy.backoff(o.event.attempts), Math.min(o.retryAfter ?? 0, policy.maxRetryAfterMs));
    const next = new Date(now.getTime() + wait);
    const windowEnd = o.event.window_started_at.getTime() + policy.retryWindowMs;
    const error = o.error?.slice(0, MAX_ERROR) ?? null;
    if (o.permanent || next.getTime() > windowEnd) {
      const rows = await this.deps.db.query(
        `UPDATE trigger_events SET state = 'dead', finished_at = $2, last_status = $3, last_error = $4
          WHERE id = $1 AND state = 'delivering' AND attempts = $5 RETURNING id`,
        [o.event.id, now, o.status, error, o.event.attempts],
      );
      if (rows.length) {
        await recordNotice(this.deps.db, { id: o.event.trigger_id, tenant_id: o.event.tenant_id, folder_id: o.event.folder_id }, 'event.dead-lettered', {
          eventId: o.event.id, attempts: o.event.attempts, lastStatus: o.status, lastError: error,
        });
        this.deps.logger.warn({ triggerId: o.event.trigger_id, eventId: o.event.id, attempts: o.event.attempts }, 'trigger event dead-lettered');
      }
      return;
    }
    // enqueued_at cleared: the ticker's sweep queues the retry once it is due.
    await this.deps.db.query(
      `UPDATE trigger_events SET state = 'pending', next_attempt_at = $2, enqueued_at = NULL, last_status = $3, last_error = $4
        WHERE id = $1 AND state = 'delivering' AND attempts = $5`,
      [o.event.id, next, o.status, error, o.event.attempts],
    );
  }

  /**
   * Events due for an attempt that no job is known to carry: retries whose wait is over, events
   * stored while no worker ran, events whose worker died (lease over). Marks them queued and
   * returns their ids; the caller sends the delivery jobs.
   */
  async sweep(limit = 1000, requeueAfterMs = 60_000): Promise<string[]> {
    const now = this.deps.clock.now();
    const rows = await this.deps.db.query<{ id: string }>(
      `UPDATE trigger_events SET enqueued_at = $1
        WHERE id IN (
          SELECT id FROM trigger_events
           WHERE state IN ('pending', 'delivering') AND delivery = 'webhook' AND next_attempt_at <= $1
             AND (enqueued_at IS NULL OR enqueued_at < $2 OR (state = 'delivering' AND enqueued_at < next_attempt_at))
           ORDER BY next_attempt_at LIMIT ${Number(limit)}
           FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [now, new Date(now.getTime() - requeueAfterMs)],
    );
    return rows.map((r) => r.id);
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string; cause?: { message?: string; code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') return 'the target did not answer in time';
  const cause = e.cause?.message ?? e.cause?.code;
  return `the target could not be reached: ${e.message ?? String(error)}${cause ? ` (${cause})` : ''}`;
}
