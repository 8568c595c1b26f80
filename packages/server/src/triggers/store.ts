import type { Queryable } from '../store/database.ts';
import type { SubscriptionRow, TriggerRow } from './model.ts';
import { recordNotice } from './outbox.ts';

/** SQL about trigger rows shared by the API, the poller and subscription upkeep. */

export async function findTrigger(db: Queryable, id: string, forUpdate = false): Promise<TriggerRow | undefined> {
  const [row] = await db.query<TriggerRow>(`SELECT * FROM triggers WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return row;
}

export async function findSubscription(db: Queryable, triggerId: string): Promise<SubscriptionRow | undefined> {
  const [row] = await db.query<SubscriptionRow>('SELECT * FROM trigger_subscriptions WHERE trigger_id = $1', [triggerId]);
  return row;
}

/** Makes sure the connection is on the polling schedule, due at once (a new or re-enabled trigger starts now). */
export async function schedulePoll(db: Queryable, connection: { id: string; tenant_id: string }, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO trigger_polls (connection_id, tenant_id, next_poll_at) VALUES ($1, $2, $3)
     ON CONFLICT (connection_id) DO UPDATE SET next_poll_at = LEAST(trigger_polls.next_poll_at, EXCLUDED.next_poll_at)`,
    [connection.id, connection.tenant_id, at],
  );
}

/** A successful poll (or subscription renewal): the failure streak ends. */
export async function markSuccess(db: Queryable, triggerId: string, now: Date, polled: boolean): Promise<void> {
  await db.query(
    `UPDATE triggers SET consecutive_failures = 0, last_success_at = $2, last_error = NULL,
       polls = polls + $3, last_polled_at = CASE WHEN $3 = 1 THEN $2 ELSE last_polled_at END
     WHERE id = $1`,
    [triggerId, now, polled ? 1 : 0],
  );
}

export const FAILURES_BEFORE_DISABLE = 10;
export const FAILURE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Counts a failure; a trigger that failed 10 times in a row with no success for 24 hours
 * (Orchestrator's rule) disables itself and records trigger.disabled, so people are told
 * instead of it failing forever. Returns whether it was disabled now.
 */
export async function markFailure(db: Queryable, trigger: Pick<TriggerRow, 'id' | 'tenant_id' | 'folder_id'>, message: string, now: Date, polled: boolean): Promise<boolean> {
  const [row] = await db.query<{ consecutive_failures: number; since: Date }>(
    `UPDATE triggers SET consecutive_failures = consecutive_failures + 1, total_failures = total_failures + 1,
       last_failure_at = $2, last_error = $3, polls = polls + $4, last_polled_at = CASE WHEN $4 = 1 THEN $2 ELSE last_polled_at END
     WHERE id = $1 RETURNING consecutive_failures, coalesce(last_success_at, created_at) AS since`,
    [trigger.id, now, message.slice(0, 1000), polled ? 1 : 0],
  );
  if (!row || row.consecutive_failures < FAILURES_BEFORE_DISABLE || now.getTime() - row.since.getTime() < FAILURE_WINDOW_MS) return false;
  const statusMessage = `Disabled after ${row.consecutive_failures} failures in a row and no success since ${row.since.toISOString()}. Last error: ${message.slice(0, 300)} Fix the cause (often: reconnect the connection), then enable the trigger again.`;
  const disabled = await db.query(
    `UPDATE triggers SET status = 'Disabled', disabled_reason = 'too_many_failures', status_message = $2, updated_at = $3
      WHERE id = $1 AND status = 'Enabled' RETURNING id`,
    [trigger.id, statusMessage, now],
  );
  if (disabled.length === 0) return false;
  await recordNotice(db, trigger, 'trigger.disabled', { reason: 'too_many_failures', consecutiveFailures: row.consecutive_failures, lastError: message.slice(0, 500) });
  return true;
}
