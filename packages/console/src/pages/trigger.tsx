import type { FilterFieldDefinition, TriggerDefinition } from '@switchboard/catalog/types';
import { useCallback, useEffect, useState } from 'react';
import { connectorDefinition } from '../api/catalog.ts';
import { type ApiError, api, enc } from '../api/client.ts';
import type { Connection, Trigger, TriggerEvent } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { Loading, Notice, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { describeFilter, valueAt } from '../components/trigger-filter.tsx';
import { formatDateTime, pollingLabel, timeAgo } from '../format.ts';
import { Link, navigate } from '../router.tsx';
import { can, useWorkspace } from '../session.tsx';
import { NotFoundPage } from './not-found.tsx';
import { eventLabel } from './triggers.tsx';

interface TestResult {
  filter: string | null;
  items: Array<{ matchesFilter: boolean; event: { id: string; event: string; objectId: string | null; occurredAt: string; record: unknown } }>;
}

/** The events list follows new events by itself while the page is visible. */
const REFRESH_MS = 5000;

const STATE_LABELS: Record<TriggerEvent['state'], string> = {
  pending: 'Pending',
  delivering: 'Delivering',
  delivered: 'Delivered',
  dead: 'Failed (dead letter)',
  acked: 'Acknowledged',
};

/** The trigger's notices (GET .../notices), newest first: what disabled it, what its subscription went through. */
interface TriggerNotice {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

const NOTICE_LABELS: Record<string, string> = {
  'trigger.disabled': 'The trigger disabled itself',
  'event.dead-lettered': 'An event could not be delivered for 24 hours: it is a dead letter (replay it above)',
  'cursor.reset': 'The vendor forgot where the trigger was: it started over from now',
  'subscription.recreated': 'The vendor removed its subscription: it was created again',
  'subscription.missed': 'The vendor missed notifications',
};

/** The notice's own words: a message, else the last error or the reason it carries. */
function noticeDetail(n: TriggerNotice): string | undefined {
  for (const key of ['message', 'lastError', 'reason']) {
    const value = n.payload[key];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

/** A record in a few words: its subject, title or name, else its first text filter field. */
function summaryOf(record: unknown, fields: FilterFieldDefinition[]): string | undefined {
  if (!record || typeof record !== 'object') return undefined;
  const r = record as Record<string, unknown>;
  for (const key of ['subject', 'title', 'name', 'displayName', 'summary']) if (typeof r[key] === 'string' && r[key]) return r[key];
  for (const f of fields) {
    const value = valueAt(record, f.path);
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

function shown(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One record, folded: its summary; unfolded: the trigger's filter fields, and the whole record one more click away. */
function RecordDetails({ record, objectId, fields }: { record: unknown; objectId: string | null; fields: FilterFieldDefinition[] }) {
  return (
    <details>
      <summary>{summaryOf(record, fields) ?? objectId ?? 'Record'}</summary>
      {fields.length > 0 && (
        <dl className="details" style={{ margin: '.5rem 0' }}>
          {fields.map((f) => (
            <div key={f.path} style={{ display: 'contents' }}>
              <dt>{f.label}</dt>
              <dd>{shown(valueAt(record, f.path))}</dd>
            </div>
          ))}
          {objectId && (
            <>
              <dt>Id</dt>
              <dd><code>{objectId}</code></dd>
            </>
          )}
        </dl>
      )}
      <details>
        <summary className="small">Whole record (JSON)</summary>
        <pre className="output" tabIndex={0}>{JSON.stringify(record, null, 2)}</pre>
      </details>
    </details>
  );
}

/** Rows whose record unfolds keep their other cells beside its first line. */
const TOP = { verticalAlign: 'top' } as const;

const capitalized = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** One trigger: its settings and health, a test read, its recent events and their delivery, enable/disable and delete. */
export function TriggerPage({ id }: { id: string }) {
  const { folders } = useWorkspace();
  const trigger = useResource(`trigger:${id}`, () => api.get<Trigger>(`/api/v1/triggers/${enc(id)}`));
  const [shownState, setShownState] = useState<TriggerEvent['state'] | ''>('');
  const events = useResource(`trigger-events:${id}:${shownState}`, () =>
    api.get<{ items: TriggerEvent[] }>(`/api/v1/triggers/${enc(id)}/events`, { limit: 50, state: shownState }));
  const notices = useResource(`trigger-notices:${id}`, () => api.get<{ items: TriggerNotice[] }>(`/api/v1/triggers/${enc(id)}/notices`));
  const connector = trigger.data?.connector;
  const def = useResource(connector ? `definition:${connector}` : null, () => connectorDefinition(connector!));
  const connectionId = trigger.data?.connectionId;
  const connection = useResource(connectionId ? `connection:${connectionId}` : null, () => api.get<Connection>(`/api/v1/connections/${enc(connectionId!)}`));
  const [error, setError] = useState<{ error: ApiError; title: string } | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<TestResult | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { reload: reloadEvents } = events;
  const { reload: reloadTrigger } = trigger;
  const { reload: reloadNotices } = notices;
  const reloadAll = useCallback(() => {
    reloadEvents();
    reloadTrigger();
    reloadNotices();
  }, [reloadEvents, reloadTrigger, reloadNotices]);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reloadAll();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reloadAll]);

  if (trigger.error) return trigger.error.status === 404 ? <NotFoundPage what="This trigger" /> : <ProblemNotice error={trigger.error} />;
  const t = trigger.data;
  if (!t) return <Loading label="Loading the trigger" />;
  const folder = folders.data?.find((f) => f.id === t.folderId);
  const definition: TriggerDefinition | undefined = def.data?.triggers.find((d) => d.key === t.trigger);
  const fields = definition?.filterFields ?? [];
  const act = async (work: () => Promise<unknown>, title = 'Not done') => {
    setError(null);
    setDone(null);
    try {
      await work();
    } catch (e) {
      setError({ error: e as ApiError, title });
    }
  };
  const toggle = () => act(async () => trigger.set(await api.patch<Trigger>(`/api/v1/triggers/${enc(t.id)}`, { enabled: t.status !== 'Enabled' })));
  const remove = () => act(async () => {
    await api.delete(`/api/v1/triggers/${enc(t.id)}`);
    navigate(`/folders/${t.folderId}/triggers`);
  });
  const test = async () => {
    setTesting(true);
    setTested(null);
    await act(async () => setTested(await api.post<TestResult>(`/api/v1/triggers/${enc(t.id)}/test`, { limit: 5 })), 'The test failed');
    setTesting(false);
  };
  // A replay starts a new 24-hour delivery window for the same event id (receivers deduplicate on it).
  const replay = (e: TriggerEvent) => act(async () => {
    await api.post(`/api/v1/triggers/${enc(t.id)}/events/${enc(e.id)}/replay`);
    setDone(`Event replayed: it is delivered again with the same id.`);
    reloadAll();
  }, 'Not replayed');
  const acknowledge = (e: TriggerEvent) => act(async () => {
    await api.post(`/api/v1/triggers/${enc(t.id)}/events/ack`, { ids: [e.id] });
    setDone('Event acknowledged: it left the queue.');
    reloadAll();
  }, 'Not acknowledged');
  const editable = can(folder, 'Triggers.Edit');
  const input = Object.entries(t.input ?? {});
  const filterWords = t.filter?.builder ? describeFilter(t.filter.builder, fields) : '';

  return (
    <>
      <PageHeader
        title={t.name}
        documentTitle={t.name}
        subtitle={
          <>
            {eventLabel(t, def.data)} on <Link href={`/connections/${t.connectionId}`}>{connection.data?.name ?? 'its connection'}</Link>
          </>
        }
        actions={
          can(folder, 'Triggers.Edit') && (
            <>
              <button type="button" onClick={() => void test()} disabled={testing}>{testing ? 'Testing…' : 'Test'}</button>
              <Link className="button" href={`/triggers/${t.id}/edit`}>Edit</Link>
              <button type="button" onClick={() => void toggle()}>{t.status === 'Enabled' ? 'Disable' : 'Enable'}</button>
              {can(folder, 'Triggers.Delete') && <button type="button" className="danger" onClick={() => setConfirm(true)}>Delete…</button>}
            </>
          )
        }
      />
      {error && <ProblemNotice error={error.error} title={error.title} />}
      {done && <Notice kind="success">{done}</Notice>}
      {t.statusMessage && <Notice kind={t.status === 'Enabled' ? 'warning' : 'error'}>{t.statusMessage}</Notice>}
      <dl className="details card" aria-label="Trigger details">
        <dt>Status</dt>
        <dd><span className={`badge ${t.status === 'Enabled' ? (t.health.consecutiveFailures > 0 ? 'badge-warn' : 'badge-ok') : 'badge-bad'}`}>{t.status}</span></dd>
        <dt>Event</dt>
        <dd>
          {definition ? definition.displayName : eventLabel(t)}
          {definition && <span className="muted small"> — {definition.description}</span>}
        </dd>
        {input.map(([name, value]) => (
          <div key={name} style={{ display: 'contents' }}>
            <dt>{capitalized(name)}</dt>
            <dd>{shown(value)}</dd>
          </div>
        ))}
        <dt>Filter</dt>
        <dd>
          {!t.filter ? (
            'None: every event is delivered'
          ) : (
            <>
              {filterWords && <>{filterWords}<br /></>}
              <code className={filterWords ? 'muted small' : undefined}>{t.filter.expression}</code>
            </>
          )}
        </dd>
        <dt>Delivered to</dt>
        <dd>{t.target.type === 'queue' ? 'Pull queue (GET …/events?state=pending, then acknowledge)' : t.target.url}</dd>
        {t.mode === 'polling' ? (
          <>
            <dt>Last checked</dt>
            <dd>
              {timeAgo(t.health.lastPolledAt)} ({t.health.polls} {t.health.polls === 1 ? 'poll' : 'polls'}{t.health.consecutiveFailures ? `, ${t.health.consecutiveFailures} failing in a row` : ''})
              {connection.data && <span className="muted"> · checked {pollingLabel(connection.data.pollingIntervalMinutes).toLowerCase()}</span>}
            </dd>
          </>
        ) : (
          <>
            <dt>Webhook URL</dt>
            <dd><code>{t.webhookUrl}</code></dd>
            {t.subscription && (
              <>
                <dt>Vendor subscription</dt>
                <dd>
                  {t.subscription.status}
                  {t.subscription.expiresAt && <span className="muted"> · renewed before {formatDateTime(t.subscription.expiresAt)}</span>}
                  {t.subscription.lastError && <span className="small"> · {t.subscription.lastError}</span>}
                </dd>
              </>
            )}
          </>
        )}
        {t.health.lastError && (<><dt>Last error</dt><dd>{t.health.lastError}</dd></>)}
        <dt>Created</dt>
        <dd>{formatDateTime(t.createdAt)}</dd>
      </dl>
      {tested && (
        <section aria-labelledby="test-title" className="card stack">
          <h2 id="test-title">Test result</h2>
          <p className="muted small" role="status">
            The newest {tested.items.length === 1 ? 'record' : `${tested.items.length} records`} the trigger reads now, and whether its filter passes {tested.items.length === 1 ? 'it' : 'them'}. Nothing was stored or delivered.
          </p>
          {tested.items.length === 0 ? (
            <p>Nothing to read right now.</p>
          ) : (
            <div className="table-wrap">
              <table className="compact">
                <caption className="visually-hidden">Test result</caption>
                <thead>
                  <tr>
                    <th scope="col">Occurred</th>
                    <th scope="col">Record</th>
                    <th scope="col">Filter</th>
                  </tr>
                </thead>
                <tbody>
                  {tested.items.map(({ matchesFilter, event: e }) => (
                    <tr key={e.id}>
                      <td className="nowrap" style={TOP}>{formatDateTime(e.occurredAt)}</td>
                      <td className="wrap" style={{ ...TOP, maxWidth: '40rem' }}><RecordDetails record={e.record} objectId={e.objectId} fields={fields} /></td>
                      <td style={TOP}>{matchesFilter ? <span className="badge badge-ok">Passes</span> : <span className="badge badge-bad">Filtered out</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div>
            <button type="button" onClick={() => setTested(null)}>Close</button>
          </div>
        </section>
      )}
      <section aria-labelledby="events-title" className="stack">
        <div className="row section-heading">
          <h2 id="events-title">Recent events{events.data ? ` (${events.data.items.length})` : ''}</h2>
          <label className="row small">
            Show
            <select value={shownState} onChange={(e) => setShownState(e.target.value as TriggerEvent['state'] | '')}>
              <option value="">All events</option>
              <option value="pending">{t.target.type === 'queue' ? 'Waiting in the queue' : 'Waiting to be delivered'}</option>
              <option value="dead">Failed (dead letters)</option>
              <option value="delivered">Delivered</option>
              {t.target.type === 'queue' && <option value="acked">Acknowledged</option>}
            </select>
          </label>
        </div>
        {events.error ? (
          <ProblemNotice error={events.error} />
        ) : !events.data ? (
          <Loading label="Loading events" />
        ) : events.data.items.length === 0 ? (
          shownState ? <p>No events in this state.</p> : <p>No events yet. {t.mode === 'polling' ? 'New ones appear here after the next check.' : 'New ones appear here as the vendor sends them.'}</p>
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
                  {editable && <th scope="col"><span className="visually-hidden">Actions</span></th>}
                </tr>
              </thead>
              <tbody>
                {events.data.items.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap" style={TOP}>{formatDateTime(e.occurredAt)}</td>
                    <td style={TOP}>{e.event}</td>
                    <td className="wrap" style={{ ...TOP, maxWidth: '40rem' }}><RecordDetails record={e.payload.record} objectId={e.objectId} fields={fields} /></td>
                    <td style={TOP}>
                      {STATE_LABELS[e.state] ?? e.state}
                      {e.attempts > 0 && <span className="muted small"> ({e.attempts} attempts{e.lastStatus ? `, last ${e.lastStatus}` : ''})</span>}
                      {e.lastError && <span className="small"> {e.lastError}</span>}
                    </td>
                    {editable && (
                      <td style={TOP}>
                        {e.state === 'dead' && (
                          <button type="button" onClick={() => void replay(e)} aria-label={`Replay the event of ${formatDateTime(e.occurredAt)}`}>Replay</button>
                        )}
                        {e.state === 'pending' && e.delivery === 'queue' && (
                          <button type="button" onClick={() => void acknowledge(e)} aria-label={`Acknowledge the event of ${formatDateTime(e.occurredAt)}`}>Acknowledge</button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="row">
          <button type="button" onClick={reloadAll}>Refresh</button>
          <span className="muted small">Refreshes by itself every few seconds.</span>
        </div>
      </section>
      {notices.data && notices.data.items.length > 0 && (
        <section aria-labelledby="notices-title" className="stack">
          <h2 id="notices-title">What happened</h2>
          <ul className="notices" aria-label="Trigger notices">
            {notices.data.items.slice(0, 10).map((n) => (
              <li key={n.id}>
                <span className="muted small">{formatDateTime(n.createdAt)}</span> {NOTICE_LABELS[n.type] ?? n.type}
                {noticeDetail(n) && <span className="small"> — {noticeDetail(n)}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <ConfirmDialog open={confirm} title={`Delete ${t.name}?`} confirmLabel="Delete trigger" danger onConfirm={() => void remove()} onCancel={() => setConfirm(false)}>
        <p>Its vendor subscription and its events are deleted with it. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
