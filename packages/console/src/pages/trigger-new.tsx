import type { ConnectorDefinition, TriggerDefinition } from '@switchboard/catalog/types';
import { type FormEvent, useState } from 'react';
import { connectorDefinition } from '../api/catalog.ts';
import { type ApiError, api, getAll } from '../api/client.ts';
import type { Connection, Trigger } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { Loading, Notice, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { type ObjectSchema, SchemaForm, buildInput, initialInput } from '../components/schema-form.tsx';
import { EMPTY_FILTER, type FilterDraft, type FilterGroup, buildFilter } from '../components/trigger-filter.tsx';
import { type FilterMode, FilterFieldset, SigningSecretNotice, type TargetSetting, TargetFieldset, targetOf } from '../components/trigger-settings.tsx';
import { pollingLabel } from '../format.ts';
import { Link, navigate } from '../router.tsx';

/** The events a connector offers are its triggers (record events on objects resolve to them too). */
function eventOptions(def: ConnectorDefinition): TriggerDefinition[] {
  return def.triggers;
}

const hasInput = (schema: ObjectSchema | undefined): schema is ObjectSchema => Object.keys(schema?.properties ?? {}).length > 0;

/**
 * Add trigger: a connection, one of its connector's events with that event's settings (its
 * input schema), an optional filter (conditions on the event's fields, or JMESPath), and where
 * events go.
 */
export function NewTriggerPage({ folderId }: { folderId: string }) {
  const connections = useResource(`connections:${folderId}`, () => getAll<Connection>('/api/v1/connections', { folderId }));
  const [connectionId, setConnectionId] = useState('');
  const connection = connections.data?.find((c) => c.id === connectionId) ?? connections.data?.find((c) => c.status === 'Connected');
  const def = useResource(connection ? `definition:${connection.connector}` : null, () => connectorDefinition(connection!.connector));
  const [eventKey, setEventKey] = useState('');
  // Per connector and event, so switching back and forth keeps what was typed.
  const [inputs, setInputs] = useState<Record<string, Record<string, string | boolean>>>({});
  const [filters, setFilters] = useState<Record<string, FilterDraft>>({});
  const [filterMode, setFilterMode] = useState<FilterMode>('conditions');
  const [expression, setExpression] = useState('');
  const [target, setTarget] = useState<TargetSetting>({ type: 'queue', url: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [invalid, setInvalid] = useState<{ message: string; condition?: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<{ id: string; value: string } | null>(null);

  const options = def.data ? eventOptions(def.data) : [];
  const trigger = options.find((t) => t.key === eventKey) ?? options[0];
  const stateKey = def.data && trigger ? `${def.data.key}:${trigger.key}` : '';
  const schema = trigger?.input as ObjectSchema | undefined;
  const values = inputs[stateKey] ?? (schema ? initialInput(schema) : {});
  const draft = filters[stateKey] ?? EMPTY_FILTER;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!connection || !trigger) return;
    const form = new FormData(event.currentTarget);
    setError(null);
    setInvalid(null);
    let input: Record<string, unknown> | undefined;
    if (hasInput(schema)) {
      const built = buildInput(schema, values);
      if ('invalid' in built) return setInvalid({ message: built.message });
      input = built.input;
    }
    let filter: FilterGroup | string | null = null;
    if (filterMode === 'expression') filter = expression.trim() || null;
    else {
      const built = buildFilter(draft, trigger.filterFields);
      if ('invalid' in built) return setInvalid({ message: built.message, condition: built.invalid });
      filter = built.filter;
    }
    const backfill = Number(form.get('backfill') || 0);
    setBusy(true);
    try {
      const created = await api.post<Trigger & { signingSecret: string | null }>('/api/v1/triggers', {
        connectionId: connection.id,
        trigger: trigger.key,
        name: String(form.get('name') ?? '').trim() || undefined,
        ...(input ? { input } : {}),
        ...(filter ? { filter } : {}),
        target: targetOf(target),
        startFrom: backfill > 0 ? { backfill } : 'now',
      });
      if (created.signingSecret) setSecret({ id: created.id, value: created.signingSecret });
      else navigate(`/triggers/${created.id}`);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  if (secret) {
    return (
      <>
        <PageHeader title="Trigger created" documentTitle="Trigger created" />
        <SigningSecretNotice secret={secret.value} />
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
        <form className="card form" onSubmit={submit} aria-label="Add trigger">
          {error && <ProblemNotice error={error} title="The trigger was not created" />}
          {invalid && <Notice kind="error" title="The trigger was not created">{invalid.message}</Notice>}
          <div className="field">
            <label htmlFor="trigger-connection">Connection</label>
            <select id="trigger-connection" value={connection.id} onChange={(e) => setConnectionId(e.target.value)}>
              {connections.data.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.connector}, {c.status})
                </option>
              ))}
            </select>
            {connection.status !== 'Connected' && <span className="field-error">This connection is {connection.status}: reconnect it before adding triggers to it.</span>}
          </div>
          {def.error && <ProblemNotice error={def.error} />}
          {!def.data && !def.error && <Loading label="Loading the connector's events" />}
          {def.data && options.length === 0 && <Notice kind="info">{def.data.displayName} has no triggers in this version.</Notice>}
          {def.data && trigger && (
            <>
              <div className="field">
                <label htmlFor="trigger-event">Event</label>
                <select id="trigger-event" name="event" value={trigger.key} onChange={(e) => setEventKey(e.target.value)} aria-describedby="trigger-event-hint">
                  {options.map((o) => (
                    <option key={o.key} value={o.key}>
                      {o.displayName}
                    </option>
                  ))}
                </select>
                <span id="trigger-event-hint" className="hint">
                  {trigger.description}{' '}
                  {trigger.mode === 'polling'
                    ? `This connection is checked ${pollingLabel(connection.pollingIntervalMinutes).toLowerCase()} (its polling interval).`
                    : `${def.data.displayName} notifies Switchboard as events happen.`}
                </span>
              </div>
              {hasInput(schema) && (
                <fieldset>
                  <legend>{trigger.displayName} settings</legend>
                  <div className="form">
                    <SchemaForm
                      schema={schema}
                      values={values}
                      onChange={(name, value) => setInputs((all) => ({ ...all, [stateKey]: { ...values, [name]: value } }))}
                      idPrefix="trigger-input"
                    />
                  </div>
                </fieldset>
              )}
            </>
          )}
          <div className="field">
            <label htmlFor="trigger-name">Name <span className="muted">(optional)</span></label>
            <input id="trigger-name" name="name" maxLength={200} placeholder={trigger?.displayName} />
          </div>
          <FilterFieldset
            fields={trigger?.filterFields ?? []}
            value={{ mode: filterMode, draft, expression }}
            onChange={(next) => {
              setFilterMode(next.mode);
              setExpression(next.expression);
              setFilters((all) => ({ ...all, [stateKey]: next.draft }));
            }}
            invalid={invalid?.condition}
          />
          <TargetFieldset value={target} onChange={setTarget} />
          <div className="field">
            <label htmlFor="trigger-backfill">Also deliver the newest existing records <span className="muted">(optional)</span></label>
            <input id="trigger-backfill" name="backfill" type="number" min={0} max={1000} defaultValue={0} aria-describedby="backfill-hint" />
            <span id="backfill-hint" className="hint">0: only what happens from now on.</span>
          </div>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy || !trigger || connection.status !== 'Connected'}>
              {busy ? 'Creating…' : 'Create trigger'}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
