import { onConnectionDeleted, onConnectionDeleting } from '../connections/service.ts';
import type { Queryable } from '../store/database.ts';
import type { TriggerRow } from './model.ts';
import type { TriggerSecrets } from './secrets.ts';
import type { Subscriptions } from './subscriptions/subscriptions.ts';

let secrets: TriggerSecrets | undefined;
let subscriptions: { db: { query: Queryable['query'] }; remove: Subscriptions['remove'] } | undefined;

/**
 * Deleting a connection deletes its triggers (UiPath does the same). First, while the
 * connection's credentials still work, their vendor-side subscriptions are deleted (best effort:
 * one that cannot be lapses at its expiry, and notifications to its URL are refused meanwhile);
 * then, inside the connection's deleting transaction, their secrets, events, endpoints and
 * schedule go with them.
 *
 * Registered once per process; the hook only uses the transaction it is given, so any
 * instance's secrets object can do the vault part.
 */
export function deleteTriggersWithConnections(current: TriggerSecrets, invalidate: () => void, vendor?: { db: { query: Queryable['query'] }; remove: Subscriptions['remove'] }): void {
  const first = secrets === undefined;
  secrets = current;
  if (vendor) subscriptions = vendor;
  invalidations.add(invalidate);
  if (!first) return;
  onConnectionDeleting(async (connectionId: string) => {
    if (!subscriptions) return;
    const rows = await subscriptions.db.query<TriggerRow>(
      'SELECT t.* FROM triggers t JOIN trigger_subscriptions s ON s.trigger_id = t.id WHERE t.connection_id = $1', [connectionId],
    );
    for (const row of rows) await subscriptions.remove(row);
  });
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
