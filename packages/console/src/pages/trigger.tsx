import { useState } from 'react';
import { type ApiError, api, enc } from '../api/client.ts';
import type { Trigger, TriggerEvent } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { Loading, Notice, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime, timeAgo } from '../format.ts';
import { Link, navigate } from '../router.tsx';
import { can, useWorkspace } from '../session.tsx';
import { NotFoundPage } from './not-found.tsx';
import { eventLabel } from './triggers.tsx';

/** One trigger: its health, its recent events and their delivery, enable/disable and delete. */
export function TriggerPage({ id }: { id: string }) {
  const { folders } = useWorkspace();
  const trigger = useResource(`trigger:${id}`, () => api.get<Trigger>(`/api/v1/triggers/${enc(id)}`));
  const events = useResource(`trigger-events:${id}`, () => api.get<{ items: TriggerEvent[] }>(`/api/v1/triggers/${enc(id)}/events`, { limit: 50 }));
  const [error, setError] = useState<ApiError | null>(null);
  const [confirm, setConfirm] = useState(false);

  if (trigger.error) return trigger.error.status === 404 ? <NotFoundPage what="This trigger" /> : <ProblemNotice error={trigger.error} />;
  const t = trigger.data;
  if (!t) return <Loading label="Loading the trigger" />;
  const folder = folders.data?.find((f) => f.id === t.folderId);
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const toggle = () => act(async () => trigger.set(await api.patch<Trigger>(`/api/v1/triggers/${enc(t.id)}`, { enabled: t.status !== 'Enabled' })));
  const remove = () => act(async () => {
    await api.delete(`/api/v1/triggers/${enc(t.id)}`);
    navigate(`/folders/${t.folderId}/triggers`);
  });

  return (
    <>
      <PageHeader
        title={t.name}
        documentTitle={t.name}
        subtitle={<>{eventLabel(t)} on <Link href={`/connections/${t.connectionId}`}>its connection</Link></>}
        actions={
          can(folder, 'Triggers.Edit') && (
            <>
              <button type="button" onClick={() => void toggle()}>{t.status === 'Enabled' ? 'Disable' : 'Enable'}</button>
              {can(folder, 'Triggers.Delete') && <button type="button" className="danger" onClick={() => setConfirm(true)}>Delete…</button>}
            </>
          )
        }
      />
      {error && <ProblemNotice error={error} title="Not done" />}
      {t.statusMessage && <Notice kind={t.status === 'Enabled' ? 'warning' : 'error'}>{t.statusMessage}</Notice>}
      <dl className="details card">
        <dt>Status</dt>
        <dd><span className={`badge ${t.status === 'Enabled' ? 'badge-ok' : 'badge-bad'}`}>{t.status}</span></dd>
        <dt>Delivered to</dt>
        <dd>{t.target.type === 'queue' ? 'Pull queue (GET …/events?state=pending, then acknowledge)' : t.target.url}</dd>
        {t.filter && (<><dt>Filter</dt><dd><code>{t.filter.expression}</code></dd></>)}
        {t.mode === 'polling' ? (
          <><dt>Last checked</dt><dd>{timeAgo(t.health.lastPolledAt)} ({t.health.polls} polls{t.health.consecutiveFailures ? `, ${t.health.consecutiveFailures} failing in a row` : ''})</dd></>
        ) : (
          <><dt>Webhook URL</dt><dd><code>{t.webhookUrl}</code></dd></>
        )}
        {t.health.lastError && (<><dt>Last error</dt><dd>{t.health.lastError}</dd></>)}
        <dt>Created</dt>
        <dd>{formatDateTime(t.createdAt)}</dd>
      </dl>
      <section aria-labelledby="events-title" className="stack">
        <h2 id="events-title">Recent events</h2>
        {events.error ? (
          <ProblemNotice error={events.error} />
        ) : !events.data ? (
          <Loading label="Loading events" />
        ) : events.data.items.length === 0 ? (
          <p>No events yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="compact">
              <caption className="visually-hidden">Recent events of this trigger</caption>
              <thead>
                <tr>
                  <th scope="col">Occurred</th>
                  <th scope="col">Event</th>
                  <th scope="col">Record</th>
                  <th scope="col">Delivery</th>
                </tr>
              </thead>
              <tbody>
                {events.data.items.map((e) => (
                  <tr key={e.id}>
                    <td>{formatDateTime(e.occurredAt)}</td>
                    <td>{e.event}</td>
                    <td className="url"><code>{e.objectId ?? '—'}</code></td>
                    <td>
                      {e.state}
                      {e.attempts > 0 && <span className="muted small"> ({e.attempts} attempts{e.lastStatus ? `, last ${e.lastStatus}` : ''})</span>}
                      {e.lastError && <span className="small"> {e.lastError}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <button type="button" onClick={() => { events.reload(); trigger.reload(); }}>Refresh</button>
      </section>
      <ConfirmDialog open={confirm} title={`Delete ${t.name}?`} confirmLabel="Delete trigger" danger onConfirm={() => void remove()} onCancel={() => setConfirm(false)}>
        <p>Its vendor subscription and its events are deleted with it. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
