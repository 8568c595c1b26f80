import type { ConnectorDefinition } from '@switchboard/catalog/types';
import { type FormEvent, useState } from 'react';
import { connectorDefinition } from '../api/catalog.ts';
import { type ApiError, api, getAll } from '../api/client.ts';
import type { Connection, Trigger } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { Loading, Notice, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Link, navigate } from '../router.tsx';

/** The events a connector offers are its triggers (record events on objects resolve to them too). */
function eventOptions(def: ConnectorDefinition): Array<{ value: string; label: string; body: Record<string, string> }> {
  return def.triggers.map((t) => ({ value: t.key, label: t.displayName, body: { trigger: t.key } }));
}

/** Add trigger: a connection, one of its connector's events, an optional filter, and where events go. */
export function NewTriggerPage({ folderId }: { folderId: string }) {
  const connections = useResource(`connections:${folderId}`, () => getAll<Connection>('/api/v1/connections', { folderId }));
  const [connectionId, setConnectionId] = useState('');
  const connection = connections.data?.find((c) => c.id === connectionId) ?? connections.data?.find((c) => c.status === 'Connected');
  const def = useResource(connection ? `definition:${connection.connector}` : null, () => connectorDefinition(connection!.connector));
  const [target, setTarget] = useState<'queue' | 'webhook'>('queue');
  const [error, setError] = useState<ApiError | null>(null);
  const [secret, setSecret] = useState<{ id: string; value: string } | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const option = def.data && eventOptions(def.data).find((o) => o.value === form.get('event'));
    if (!connection || !option) return;
    const filter = String(form.get('filter') ?? '').trim();
    const backfill = Number(form.get('backfill') || 0);
    setError(null);
    try {
      const created = await api.post<Trigger & { signingSecret: string | null }>('/api/v1/triggers', {
        connectionId: connection.id,
        ...option.body,
        name: String(form.get('name')).trim() || undefined,
        target: target === 'queue' ? { type: 'queue' } : { type: 'webhook', url: String(form.get('url')) },
        ...(filter ? { filter } : {}),
        startFrom: backfill > 0 ? { backfill } : 'now',
      });
      if (created.signingSecret) setSecret({ id: created.id, value: created.signingSecret });
      else navigate(`/triggers/${created.id}`);
    } catch (e) {
      setError(e as ApiError);
    }
  };

  if (secret) {
    return (
      <>
        <PageHeader title="Trigger created" documentTitle="Trigger created" />
        <Notice kind="success" title="Store the signing secret now">
          <p>Your webhook verifies each delivery with this secret (Standard Webhooks). It is not shown again.</p>
          <input aria-label="Signing secret" readOnly value={secret.value} className="grow" onFocus={(e) => e.currentTarget.select()} />
        </Notice>
        <Link className="button primary" href={`/triggers/${secret.id}`}>Open the trigger</Link>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Add trigger" documentTitle="Add trigger" subtitle={<Link href={`/folders/${folderId}/triggers`}>Back to triggers</Link>} />
      {connections.error && <ProblemNotice error={connections.error} />}
      {!connections.data ? (
        <Loading label="Loading connections" />
      ) : !connection ? (
        <Notice kind="info">A trigger listens to a connection: add a connection to this folder first.</Notice>
      ) : (
        <form className="card form" onSubmit={submit}>
          {error && <ProblemNotice error={error} title="The trigger was not created" />}
          <div className="field">
            <label htmlFor="trigger-connection">Connection</label>
            <select id="trigger-connection" value={connection.id} onChange={(e) => setConnectionId(e.target.value)}>
              {connections.data.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.connector}, {c.status})
                </option>
              ))}
            </select>
          </div>
          {def.error && <ProblemNotice error={def.error} />}
          {def.data && eventOptions(def.data).length === 0 && <Notice kind="info">{def.data.displayName} has no triggers in this version.</Notice>}
          {def.data && eventOptions(def.data).length > 0 && (
            <div className="field">
              <label htmlFor="trigger-event">Event</label>
              <select id="trigger-event" name="event" required>
                {eventOptions(def.data).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="trigger-name">Name <span className="muted">(optional)</span></label>
            <input id="trigger-name" name="name" maxLength={200} />
          </div>
          <div className="field">
            <label htmlFor="trigger-filter">Filter <span className="muted">(optional)</span></label>
            <input id="trigger-filter" name="filter" spellCheck={false} placeholder="e.g. contains(subject, 'Invoice')" aria-describedby="filter-hint" />
            <span id="filter-hint" className="hint">A JMESPath expression on the event record; only events it passes are delivered.</span>
          </div>
          <fieldset>
            <legend>Deliver events to</legend>
            <label className="checkbox">
              <input type="radio" name="target" checked={target === 'queue'} onChange={() => setTarget('queue')} /> <span>A pull queue (read with the API)</span>
            </label>
            <label className="checkbox">
              <input type="radio" name="target" checked={target === 'webhook'} onChange={() => setTarget('webhook')} /> <span>A webhook</span>
            </label>
            {target === 'webhook' && (
              <div className="field">
                <label htmlFor="trigger-url">Webhook URL</label>
                <input id="trigger-url" name="url" type="url" required placeholder="https://automation.example.com/hooks/switchboard" />
              </div>
            )}
          </fieldset>
          <div className="field">
            <label htmlFor="trigger-backfill">Also deliver the newest existing records <span className="muted">(optional)</span></label>
            <input id="trigger-backfill" name="backfill" type="number" min={0} max={1000} defaultValue={0} aria-describedby="backfill-hint" />
            <span id="backfill-hint" className="hint">0: only what happens from now on.</span>
          </div>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={!def.data || eventOptions(def.data).length === 0}>
              Create trigger
            </button>
          </div>
        </form>
      )}
    </>
  );
}
