import { defaultAuthType } from '@switchboard/catalog/definition';
import type { ConnectorDefinition } from '@switchboard/catalog/types';
import { type FormEvent, useState } from 'react';
import { connectorDefinition, connectorSummaries } from '../api/catalog.ts';
import { type ApiError, api } from '../api/client.ts';
import type { Connection, PendingConnection } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { ConnectionFields } from '../components/connection-fields.tsx';
import { ConnectorIcon } from '../components/connector-icon.tsx';
import { Loading, Notice, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useConnectionForm } from '../components/use-connection-form.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { can, folderLabel, useWorkspace } from '../session.tsx';
import { ConnectorPicker } from './connector-picker.tsx';

/** Where the OAuth callback sends the browser back; it forwards to the new connection's page. */
export const OAUTH_RETURN = '/connections/oauth';

/** Add connection: pick a connector, then fill in the form of its authentication type and Connect. */
export function AddConnectionPage({ folderId }: { folderId: string }) {
  const { search } = useLocation();
  const connectorKey = new URLSearchParams(search).get('connector');
  const base = `/folders/${folderId}/connections/new`;
  const catalog = useResource('connectors', connectorSummaries);
  const def = useResource(connectorKey ? `definition:${connectorKey}` : null, () => connectorDefinition(connectorKey!));

  return (
    <>
      <PageHeader
        title="Add connection"
        documentTitle="Add connection"
        subtitle={<Link href={`/folders/${folderId}/connections`}>Back to connections</Link>}
      />
      {!connectorKey ? (
        catalog.error ? (
          <ProblemNotice error={catalog.error} />
        ) : !catalog.data ? (
          <Loading label="Loading the catalog" />
        ) : (
          <ConnectorPicker connectors={catalog.data} hrefOf={(key) => `${base}?connector=${encodeURIComponent(key)}`} />
        )
      ) : def.error ? (
        <ProblemNotice error={def.error} title="This connector could not be loaded" />
      ) : !def.data ? (
        <Loading label="Loading the connector" />
      ) : (
        <NewConnectionForm key={connectorKey} def={def.data} folderId={folderId} changeHref={base} />
      )}
    </>
  );
}

function NewConnectionForm({ def, folderId, changeHref }: { def: ConnectorDefinition; folderId: string; changeHref: string }) {
  const { folders, session } = useWorkspace();
  const [authType, setAuthType] = useState<string>(defaultAuthType(def).type);
  if (!folders.data) return <Loading label="Loading folders" />;
  const writable = folders.data.filter((f) => can(f, 'Connections.Create'));
  return (
    <section aria-labelledby="form-title" className="form-page">
      <h2 id="form-title" className="with-icon">
        <ConnectorIcon icon={def.icon} size={28} /> {def.displayName}
      </h2>
      <p className="muted">
        {def.description} <Link href={changeHref}>Choose another connector</Link>
      </p>
      {/* Re-mount per auth type: each has its own fields and defaults. */}
      <AuthForm key={authType} def={def} authType={authType} setAuthType={setAuthType} folderId={folderId} writable={writable.map((f) => ({ id: f.id, label: folderLabel(f, session) }))} />
    </section>
  );
}

function AuthForm(props: { def: ConnectorDefinition; authType: string; setAuthType: (t: string) => void; folderId: string; writable: Array<{ id: string; label: string }> }) {
  const { def, authType } = props;
  const auth = def.auth.find((a) => a.type === authType)!;
  const form = useConnectionForm(def, auth);
  const [chosenFolder, setFolderId] = useState<string | null>(null);
  // Pre-filled with the folder the flow started in, when the user may create connections there.
  const folderId = chosenFolder ?? (props.writable.some((f) => f.id === props.folderId) ? props.folderId : (props.writable[0]?.id ?? ''));
  const [error, setError] = useState<ApiError | null>(null);
  const [phase, setPhase] = useState<'editing' | 'sending' | 'redirecting'>('editing');

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const fields = form.collect(element);
    if (!fields) return;
    setPhase('sending');
    setError(null);
    try {
      const created = await api.post<Connection | PendingConnection>('/api/v1/connections', { folderId, connector: def.key, authType, fields, returnTo: OAUTH_RETURN });
      form.forgetSecrets(element);
      if ('authorizationUrl' in created) {
        // The vendor's consent page; the callback brings the browser back to OAUTH_RETURN.
        setPhase('redirecting');
        window.location.assign(created.authorizationUrl);
      } else {
        navigate(`/connections/${created.id}?status=${created.status}`);
      }
    } catch (e) {
      form.forgetSecrets(element);
      setError(e as ApiError);
      form.showServerErrors(e as ApiError);
      setPhase('editing');
    }
  };

  if (props.writable.length === 0) {
    return <Notice kind="warning">You cannot create connections in any folder: that needs the Connections.Create permission (Editor or Administrator role).</Notice>;
  }
  return (
    <form className="card form" onSubmit={submit} noValidate aria-describedby={error ? 'form-error' : undefined}>
      {error && (
        <div id="form-error">
          <ProblemNotice error={error} title={error.status === 502 || error.body.vendorCode ? `${def.vendor} refused the connection` : 'The connection was not created'} />
        </div>
      )}
      <div className="field">
        <label htmlFor="folder">Folder in which connection is stored</label>
        <select id="folder" value={folderId} onChange={(e) => setFolderId(e.target.value)}>
          {props.writable.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </div>
      {def.auth.length > 1 && (
        <div className="field">
          <label htmlFor="auth-type">Authentication type</label>
          <select id="auth-type" value={authType} onChange={(e) => props.setAuthType(e.target.value)}>
            {def.auth.map((a) => (
              <option key={a.type} value={a.type}>
                {a.label}
              </option>
            ))}
          </select>
          {auth.description && <span className="hint">{auth.description}</span>}
        </div>
      )}
      <ConnectionFields fields={form.visible} values={form.values} onChange={form.onChange} errors={form.errors} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={phase !== 'editing'}>
          {phase === 'sending' ? 'Connecting…' : phase === 'redirecting' ? `Opening ${def.vendor} sign-in…` : 'Connect'}
        </button>
      </div>
      <p className="muted small" role="status">
        {phase === 'redirecting' ? `Continue on ${def.vendor}'s page; you will come back here when you are done.` : ''}
      </p>
    </form>
  );
}
