import type { ConnectorDefinition } from '@switchboard/catalog/types';
import { connectorDefinition } from '../api/catalog.ts';
import { api } from '../api/client.ts';
import type { Trigger } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { Loading, ProblemNotice } from '../components/notice.tsx';
import { timeAgo } from '../format.ts';
import { FolderFrame } from '../layout/folder-frame.tsx';
import { Link } from '../router.tsx';
import { can } from '../session.tsx';

/** What a trigger listens to, in words: "Microsoft 365 · Email Received" (keys until the connector's definition is loaded). */
export function eventLabel(t: Trigger, def?: ConnectorDefinition): string {
  const event = def?.triggers.find((d) => d.key === t.trigger)?.displayName ?? t.trigger ?? [t.object, t.event].filter(Boolean).join(' ');
  return [def?.displayName ?? t.connector, event].join(' · ');
}

/** The definitions of the connectors these triggers use (each loaded once per page view). */
async function definitionsOf(triggers: Trigger[]): Promise<Map<string, ConnectorDefinition>> {
  const keys = [...new Set(triggers.map((t) => t.connector))];
  const loaded = await Promise.all(keys.map((k) => connectorDefinition(k).catch(() => undefined)));
  return new Map(loaded.flatMap((d, i) => (d ? [[keys[i]!, d] as const] : [])));
}

/** A folder's Triggers tab: what starts automations from vendor events, and how each is doing. */
export function TriggersPage({ folderId }: { folderId: string }) {
  const triggers = useResource(`triggers:${folderId}`, () => api.get<{ items: Trigger[] }>('/api/v1/triggers', { folderId, limit: 500 }));
  const items = triggers.data?.items;
  const connectors = items ? [...new Set(items.map((t) => t.connector))].sort().join(',') : null;
  const definitions = useResource(connectors ? `trigger-definitions:${connectors}` : null, () => definitionsOf(items ?? []));
  return (
    <FolderFrame
      folderId={folderId}
      tab="triggers"
      actions={(folder) =>
        can(folder, 'Triggers.Create') &&
        !triggers.error?.isMissingEndpoint && (
          <Link className="button primary" href={`/folders/${folderId}/triggers/new`}>
            Add trigger
          </Link>
        )
      }
    >
      {() =>
        triggers.error ? (
          <ProblemNotice error={triggers.error} what="Triggers" />
        ) : !triggers.data ? (
          <Loading label="Loading triggers" />
        ) : triggers.data.items.length === 0 ? (
          <div className="empty">
            <p>No triggers in this folder yet.</p>
            <p className="muted">A trigger watches a connection for an event (a new email, an updated record) and delivers it to a webhook or a queue.</p>
          </div>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Triggers in this folder</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Event</th>
                  <th scope="col">Delivered to</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last checked</th>
                  <th scope="col">Last event</th>
                </tr>
              </thead>
              <tbody>
                {triggers.data.items.map((t) => (
                  <tr key={t.id}>
                    <th scope="row">
                      <Link href={`/triggers/${t.id}`}>{t.name}</Link>
                    </th>
                    <td>{eventLabel(t, definitions.data?.get(t.connector))}</td>
                    <td>{t.target.type === 'queue' ? 'Pull queue' : 'Webhook'}</td>
                    <td>
                      <span className={`badge ${t.status === 'Enabled' ? (t.health.consecutiveFailures > 0 ? 'badge-warn' : 'badge-ok') : 'badge-bad'}`}>{t.status}</span>
                      {t.health.consecutiveFailures > 0 && <span className="small"> {t.health.consecutiveFailures} failures</span>}
                    </td>
                    <td>{t.mode === 'webhook' ? 'Webhook' : timeAgo(t.health.lastPolledAt)}</td>
                    <td>
                      {t.events.lastOccurredAt ? timeAgo(t.events.lastOccurredAt) : <span className="muted">None yet</span>}
                      {t.events.pending > 0 && <span className="small"> · {t.events.pending} waiting</span>}
                      {t.events.dead > 0 && <span className="small field-error"> · {t.events.dead} failed</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </FolderFrame>
  );
}
