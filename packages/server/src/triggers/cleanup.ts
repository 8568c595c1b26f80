import { onConnectionDeleted } from '../connections/service.ts';
import type { Queryable } from '../store/database.ts';
import type { TriggerSecrets } from './secrets.ts';

let secrets: TriggerSecrets | undefined;

/**
 * Deleting a connection deletes its triggers (UiPath does the same), inside the connection's
 * deleting transaction: their secrets, events, endpoints and schedule go with them. Vendor-side
 * subscriptions are not deleted (the connection's credentials are going away with it); they
 * lapse at their expiry, and notifications to their URL are refused meanwhile.
 *
 * Registered once per process; the hook only uses the transaction it is given, so any
 * instance's secrets object can do the vault part.
 */
export function deleteTriggersWithConnections(current: TriggerSecrets, invalidate: () => void): void {
  const first = secrets === undefined;
  secrets = current;
  invalidations.add(invalidate);
  if (!first) return;
  onConnectionDeleted(async (tx: Queryable, connectionId: string) => {
    const rows = await tx.query<{ id: string }>('SELECT id FROM triggers WHERE connection_id = $1', [connectionId]);
    for (const row of rows) await secrets!.forget(row.id, tx);
    await tx.query('DELETE FROM triggers WHERE connection_id = $1', [connectionId]);
    await tx.query('DELETE FROM webhook_endpoints WHERE connection_id = $1', [connectionId]);
    await tx.query('DELETE FROM trigger_polls WHERE connection_id = $1', [connectionId]);
    for (const fn of invalidations) fn();
  });
}

const invalidations = new Set<() => void>();

export function stopInvalidating(invalidate: () => void): void {
  invalidations.delete(invalidate);
}
