import type { ConnectorDefinition } from '@switchboard/catalog/types';
import { type FormEvent, useState } from 'react';
import { type ApiError, api, enc } from '../api/client.ts';
import type { Connection, Folder } from '../api/types.ts';
import { Notice, ProblemNotice } from '../components/notice.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { formatDateTime, pollingLabel, timeAgo } from '../format.ts';
import { can } from '../session.tsx';
import type { Flash } from './connection.tsx';
import { DeleteConnection } from './connection-delete.tsx';
import { ReconnectForm } from './connection-reconnect.tsx';

interface Props {
  connection: Connection;
  def: ConnectorDefinition | undefined;
  folder: Folder | undefined;
  onChange: (c: Connection) => void;
  setFlash: (f: Flash | null) => void;
}

/** Status with what to do about it, Check connection and Reconnect, the details, and the settings. */
export function ConnectionOverview({ connection: c, def, folder, onChange, setFlash }: Props) {
  const editable = can(folder, 'Connections.Edit');
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [reconnecting, setReconnecting] = useState(false);

  const check = async () => {
    setChecking(true);
    setError(null);
    try {
      const checked = await api.post<Connection>(`/api/v1/connections/${enc(c.id)}/check`);
      onChange(checked);
      setFlash(
        checked.lastCheck?.ok
          ? { kind: 'success', title: 'The connection works', text: `Signed in as ${checked.account ?? 'the connection account'}.` }
          : { kind: 'error', title: 'The check failed', text: checked.lastCheck?.message ?? checked.statusMessage ?? undefined },
      );
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setChecking(false);
    }
  };

  const authLabel = def?.auth.find((a) => a.type === c.authType)?.label ?? c.authType;
  const environment = c.environment && def?.environments?.options.find((o) => o.key === c.environment)?.label;
  return (
    <div className="stack">
      <section className="card" aria-labelledby="status-title">
        <h2 id="status-title">Status</h2>
        <p className="status-line">
          <StatusBadge status={c.status} />
          {c.account && <span>{c.account}</span>}
        </p>
        {c.status !== 'Connected' && (c.statusMessage || c.disabledReason) && (
          <Notice kind={c.status === 'Disabled' ? 'error' : 'warning'} title={c.status === 'Disabled' ? 'Reconnect required' : 'Not connected yet'}>
            <p>{c.statusMessage ?? c.disabledReason}</p>
            {c.disabledReason && c.statusMessage && <p className="muted small">Reason: {c.disabledReason}</p>}
          </Notice>
        )}
        {c.status === 'Pending' && !c.statusMessage && <p>The sign-in at the vendor was not finished. Reconnect to start it again.</p>}
        <p className="muted small">
          Last checked: {c.lastCheck ? `${timeAgo(c.lastCheck.at)} — ${c.lastCheck.ok ? 'OK' : `failed: ${c.lastCheck.message ?? 'no details'}`}` : 'never'}
        </p>
        {error && <ProblemNotice error={error} title="The check could not run" />}
        <div className="row">
          <button type="button" onClick={check} disabled={checking || c.status === 'Pending'}>
            {checking ? 'Checking…' : 'Check connection'}
          </button>
          {editable && (
            <button type="button" onClick={() => setReconnecting((r) => !r)} aria-expanded={reconnecting} aria-controls="reconnect-form">
              Reconnect
            </button>
          )}
        </div>
        {reconnecting && def && <ReconnectForm connection={c} def={def} onDone={(updated) => { onChange(updated); setReconnecting(false); setFlash({ kind: 'success', title: 'Reconnected', connected: true }); }} onCancel={() => setReconnecting(false)} />}
      </section>

      <section className="card" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl className="details">
          <dt>Connector</dt>
          <dd>{def?.displayName ?? c.connector} <span className="muted">v{c.connectorVersion}</span></dd>
          <dt>Connection account</dt>
          <dd>{c.account ?? '—'}</dd>
          <dt>Authentication type</dt>
          <dd>{authLabel}</dd>
          {environment && (
            <>
              <dt>Environment</dt>
              <dd>{environment}</dd>
            </>
          )}
          <dt>Owner</dt>
          <dd>{c.owner.email ?? c.owner.id}</dd>
          {c.grantedScopes.length > 0 && (
            <>
              <dt>Granted scopes</dt>
              {/* National clouds grant fully qualified scopes; the short name is what people chose. */}
              <dd className="scopes" title={c.grantedScopes.join(' ')}>{c.grantedScopes.map((s) => s.replace(/^https?:\/\/[^/]+\//, '')).join(', ')}</dd>
            </>
          )}
          <dt>Token renewed</dt>
          <dd>{c.lastRefreshedAt ? formatDateTime(c.lastRefreshedAt) : '—'}{c.tokenExpiresAt && <span className="muted"> (expires {timeAgo(c.tokenExpiresAt)})</span>}</dd>
          <dt>Last used</dt>
          <dd>{timeAgo(c.lastUsedAt)}</dd>
          <dt>Created</dt>
          <dd>{formatDateTime(c.createdAt)}</dd>
          <dt>Connection id</dt>
          <dd><code>{c.id}</code></dd>
        </dl>
      </section>

      <Settings connection={c} editable={editable} onChange={onChange} connectorName={def?.displayName ?? c.connector} />
      {can(folder, 'Connections.Delete') && <DeleteConnection connection={c} />}
    </div>
  );
}

function Settings({ connection: c, editable, onChange, connectorName }: { connection: Connection; editable: boolean; onChange: (c: Connection) => void; connectorName: string }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const patch = async (body: Record<string, unknown>, what: string) => {
    setError(null);
    setSaved(null);
    try {
      onChange(await api.patch<Connection>(`/api/v1/connections/${enc(c.id)}`, body));
      setSaved(what);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  const rename = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void patch({ name: String(new FormData(event.currentTarget).get('name')).trim() }, 'Name saved.');
  };
  const polling = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void patch({ pollingIntervalMinutes: Number(new FormData(event.currentTarget).get('polling')) }, 'Polling interval saved.');
  };
  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {error && <ProblemNotice error={error} title="Not saved" />}
      {saved && <Notice kind="success">{saved}</Notice>}
      <form className="inline-form" onSubmit={rename}>
        <label htmlFor="name">Connection name</label>
        <input id="name" name="name" defaultValue={c.name} required maxLength={200} disabled={!editable} />
        <button type="submit" disabled={!editable}>Rename</button>
      </form>
      <form className="inline-form" onSubmit={polling}>
        <label htmlFor="polling">Polling interval (minutes)</label>
        <input id="polling" name="polling" type="number" min={1} max={1440} defaultValue={c.pollingIntervalMinutes} required disabled={!editable} aria-describedby="polling-hint" />
        <button type="submit" disabled={!editable}>Save</button>
        <span id="polling-hint" className="hint">How often polling triggers on this connection check for new events ({pollingLabel(c.pollingIntervalMinutes).toLowerCase()} now).</span>
      </form>
      <div className="inline-form">
        <span className="label">Default connection</span>
        {c.isDefault ? (
          <span>This is the default {connectorName} connection of its folder.</span>
        ) : (
          <button type="button" disabled={!editable} onClick={() => void patch({ isDefault: true }, `Set as the default ${connectorName} connection.`)}>
            Set as default
          </button>
        )}
      </div>
      {!editable && <p className="muted small">Changing settings needs the Connections.Edit permission in this folder.</p>}
    </section>
  );
}
