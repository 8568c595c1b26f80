import { type FormEvent, useState } from 'react';
import { type ApiError, api, enc } from '../api/client.ts';
import type { Connection } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { Loading, Notice, ProblemNotice } from '../components/notice.tsx';
import { type ObjectSchema, SchemaForm, buildInput, initialInput } from '../components/schema-form.tsx';

interface Activity {
  key: string;
  displayName: string;
  description: string;
  kind: string;
  category?: string;
  input: ObjectSchema;
}

interface ActivityResult {
  output: unknown;
  meta: { requestId: string; pages: number; calls: number; durationMs: number; truncated?: { message: string } };
}

/** Run any activity of the connector as this connection and see its output. */
export function ActivityRunner({ connection }: { connection: Connection }) {
  const activities = useResource(`activities:${connection.connector}`, () =>
    api.get<{ items: Activity[] }>(`/api/v1/connectors/${enc(connection.connector)}/activities`),
  );
  const [selected, setSelected] = useState('');

  if (activities.error) return <ProblemNotice error={activities.error} what="Running activities" />;
  if (!activities.data) return <Loading label="Loading activities" />;
  const items = activities.data.items;
  const byCategory = new Map<string, Activity[]>();
  for (const a of items) byCategory.set(a.category ?? 'Other', [...(byCategory.get(a.category ?? 'Other') ?? []), a]);
  const activity = items.find((a) => a.key === selected);
  return (
    <section aria-labelledby="activities-title" className="stack">
      <h2 id="activities-title">Run an activity</h2>
      {connection.status !== 'Connected' && <Notice kind="warning">The connection is {connection.status}: activities fail until it is reconnected.</Notice>}
      <div className="field narrow">
        <label htmlFor="activity">Activity</label>
        <select id="activity" value={selected} onChange={(e) => setSelected(e.target.value)}>
          <option value="">Choose an activity ({items.length})…</option>
          {[...byCategory].map(([category, list]) => (
            <optgroup key={category} label={category}>
              {list.map((a) => (
                <option key={a.key} value={a.key}>
                  {a.displayName}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      {activity && <Runner key={activity.key} connection={connection} activity={activity} />}
    </section>
  );
}

function Runner({ connection, activity }: { connection: Connection; activity: Activity }) {
  const [values, setValues] = useState(() => initialInput(activity.input));
  const [result, setResult] = useState<ActivityResult | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const built = buildInput(activity.input, values);
    if ('invalid' in built) {
      setError(built.message);
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.post<ActivityResult>(`/api/v1/connections/${enc(connection.id)}/activities/${enc(activity.key)}`, { input: built.input }));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="runner">
      <form className="card form" onSubmit={run} aria-label={activity.displayName} noValidate>
        <h3>{activity.displayName}</h3>
        <p className="muted">{activity.description}</p>
        <SchemaForm schema={activity.input} values={values} onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))} idPrefix="input" />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Running…' : 'Run'}
          </button>
        </div>
      </form>
      <div>
      {typeof error === 'string' && <Notice kind="error">{error}</Notice>}
      {error && typeof error !== 'string' && <ProblemNotice error={error} title={`${activity.displayName} failed`} what="Running activities" />}
      {result && (
        <section className="card" aria-labelledby="output-title">
          <h3 id="output-title">Output</h3>
          <p className="muted small" role="status">
            {result.meta.calls} call{result.meta.calls === 1 ? '' : 's'} · {result.meta.pages} page{result.meta.pages === 1 ? '' : 's'} · {Math.round(result.meta.durationMs)} ms · request {result.meta.requestId}
          </p>
          {result.meta.truncated && <Notice kind="warning">{result.meta.truncated.message}</Notice>}
          <pre className="output" tabIndex={0}>{JSON.stringify(result.output, null, 2) ?? 'No output'}</pre>
        </section>
      )}
      </div>
    </div>
  );
}
