import { api } from '../api/client.ts';
import type { Trigger } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { Loading, ProblemNotice } from '../components/notice.tsx';
import { timeAgo } from '../format.ts';
import { FolderFrame } from '../layout/folder-frame.tsx';
import { Link } from '../router.tsx';
import { can } from '../session.tsx';

/** What a trigger listens to, in words: "Microsoft 365 · message created". */
export function eventLabel(t: Trigger): string {
  return [t.connector, t.trigger ?? [t.object, t.event].filter(Boolean).join(' ')].join(' · ');
}

/** A folder's Triggers tab: what starts automations from vendor events, and how each is doing. */
export function TriggersPage({ folderId }: { folderId: string }) {
  const triggers = useResource(`triggers:${folderId}`, () => api.get<{ items: Trigger[] }>('/api/v1/triggers', { folderId, limit: 500 }));
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
                </tr>
              </thead>
              <tbody>
                {triggers.data.items.map((t) => (
                  <tr key={t.id}>
                    <th scope="row">
                      <Link href={`/triggers/${t.id}`}>{t.name}</Link>
                    </th>
                    <td>{eventLabel(t)}</td>
                    <td>{t.target.type === 'queue' ? 'Pull queue' : 'Webhook'}</td>
                    <td>
                      <span className={`badge ${t.status === 'Enabled' ? (t.health.consecutiveFailures > 0 ? 'badge-warn' : 'badge-ok') : 'badge-bad'}`}>{t.status}</span>
                      {t.health.consecutiveFailures > 0 && <span className="small"> {t.health.consecutiveFailures} failures</span>}
                    </td>
                    <td>{t.mode === 'webhook' ? 'Webhook' : timeAgo(t.health.lastPolledAt)}</td>
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
