import type { ConnectorDefinition } from '@switchboard/catalog/types';
import { type FormEvent, useState } from 'react';
import { type ApiError, api, enc } from '../api/client.ts';
import type { Connection, PendingConnection } from '../api/types.ts';
import { ConnectionFields } from '../components/connection-fields.tsx';
import { ProblemNotice } from '../components/notice.tsx';
import { useConnectionForm } from '../components/use-connection-form.ts';

/**
 * Reconnect re-runs authentication on the same connection (same id, triggers and default
 * flag). The form starts from the current values; secrets left empty stay as they are.
 */
export function ReconnectForm({ connection, def, onDone, onCancel }: { connection: Connection; def: ConnectorDefinition; onDone: (c: Connection) => void; onCancel: () => void }) {
  const auth = def.auth.find((a) => a.type === connection.authType);
  const form = useConnectionForm(def, auth ?? def.auth[0]!, connection.fields, { secretsOptional: true });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const fields = form.collect(element);
    if (!fields) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<Connection | PendingConnection>(`/api/v1/connections/${enc(connection.id)}/reconnect`, { fields, returnTo: `/connections/${connection.id}` });
      form.forgetSecrets(element);
      if ('authorizationUrl' in answer) window.location.assign(answer.authorizationUrl);
      else onDone(answer);
    } catch (e) {
      form.forgetSecrets(element);
      setError(e as ApiError);
      form.showServerErrors(e as ApiError);
      setBusy(false);
    }
  };

  if (!auth) return <p>This connection's authentication type is no longer offered by the connector.</p>;
  return (
    <form id="reconnect-form" className="form nested" onSubmit={submit} noValidate aria-label="Reconnect">
      <p className="muted">Check the values, change what is needed, and reconnect. Leave secrets empty to keep the current ones.</p>
      {error && <ProblemNotice error={error} title="Reconnect failed" />}
      <ConnectionFields fields={form.visible} values={form.values} onChange={form.onChange} errors={form.errors} secretsOptional />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Reconnecting…' : 'Reconnect'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
