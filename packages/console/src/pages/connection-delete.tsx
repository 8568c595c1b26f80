import { useState } from 'react';
import { type ApiError, api, enc } from '../api/client.ts';
import type { Connection } from '../api/types.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ProblemNotice } from '../components/notice.tsx';
import { navigate } from '../router.tsx';

interface TriggerRow {
  id: string;
  name?: string;
  displayName?: string;
  trigger?: string;
}

type Triggers = { kind: 'loading' } | { kind: 'list'; items: TriggerRow[] } | { kind: 'unavailable' } | { kind: 'failed'; error: ApiError };

/** Delete, after a confirmation that says which triggers go with the connection. */
export function DeleteConnection({ connection }: { connection: Connection }) {
  const [open, setOpen] = useState(false);
  const [triggers, setTriggers] = useState<Triggers>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const ask = () => {
    setOpen(true);
    setTriggers({ kind: 'loading' });
    api.get<{ items: TriggerRow[] }>('/api/v1/triggers', { connectionId: connection.id, limit: 500 }).then(
      (page) => setTriggers({ kind: 'list', items: page.items }),
      (e: ApiError) => setTriggers(e.isMissingEndpoint ? { kind: 'unavailable' } : { kind: 'failed', error: e }),
    );
  };

  const remove = async () => {
    setBusy(true);
    try {
      await api.delete(`/api/v1/connections/${enc(connection.id)}`);
      navigate(`/folders/${connection.folderId}/connections`);
    } catch (e) {
      setError(e as ApiError);
      setOpen(false);
      setBusy(false);
    }
  };

  return (
    <section className="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete connection</h2>
      <p>Deleting revokes the connection's tokens where the vendor supports it. Automations that use it stop working.</p>
      {error && <ProblemNotice error={error} title="Not deleted" />}
      <button type="button" className="danger" onClick={ask}>
        Delete…
      </button>
      <ConfirmDialog open={open} title={`Delete ${connection.name}?`} confirmLabel="Delete connection" danger busy={busy || triggers.kind === 'loading'} onConfirm={remove} onCancel={() => setOpen(false)}>
        {triggers.kind === 'loading' && <p>Looking for triggers that use this connection…</p>}
        {triggers.kind === 'unavailable' && <p>No triggers will be deleted: triggers are not available in this version.</p>}
        {triggers.kind === 'failed' && <p>The triggers of this connection could not be listed ({triggers.error.message}). Triggers that use it are deleted with it.</p>}
        {triggers.kind === 'list' &&
          (triggers.items.length === 0 ? (
            <p>No triggers use this connection.</p>
          ) : (
            <>
              <p>These {triggers.items.length} trigger{triggers.items.length === 1 ? '' : 's'} will be deleted with it:</p>
              <ul>
                {triggers.items.map((t) => (
                  <li key={t.id}>{t.name ?? t.displayName ?? t.trigger ?? t.id}</li>
                ))}
              </ul>
            </>
          ))}
        <p>This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}
