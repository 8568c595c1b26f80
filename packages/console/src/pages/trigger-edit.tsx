import { type FormEvent, useEffect, useState } from 'react';
import { connectorDefinition } from '../api/catalog.ts';
import { type ApiError, api, enc } from '../api/client.ts';
import type { Trigger } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { Loading, Notice, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EMPTY_FILTER, type FilterGroup, buildFilter, draftOf } from '../components/trigger-filter.tsx';
import { type FilterSetting, FilterFieldset, SigningSecretNotice, type TargetSetting, TargetFieldset, targetOf } from '../components/trigger-settings.tsx';
import { Link, navigate } from '../router.tsx';
import { NotFoundPage } from './not-found.tsx';

/**
 * Edit trigger: its name, filter and target (PATCH). The connection and event are what the
 * trigger is; changing them is another trigger. The form starts from what is stored: a builder
 * filter as its conditions, anything else as its JMESPath.
 */
export function EditTriggerPage({ id }: { id: string }) {
  const trigger = useResource(`trigger:${id}`, () => api.get<Trigger>(`/api/v1/triggers/${enc(id)}`));
  const connector = trigger.data?.connector;
  const def = useResource(connector ? `definition:${connector}` : null, () => connectorDefinition(connector!));
  const [name, setName] = useState('');
  const [filter, setFilter] = useState<FilterSetting | null>(null);
  const [target, setTarget] = useState<TargetSetting>({ type: 'queue', url: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [invalid, setInvalid] = useState<{ message: string; condition?: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  const t = trigger.data;
  const definition = def.data?.triggers.find((d) => d.key === t?.trigger);
  const fields = definition?.filterFields ?? [];

  // The form starts from the stored trigger once it and its definition (the filter's field labels) are here.
  useEffect(() => {
    if (!t || !def.data || filter) return;
    setName(t.name);
    setTarget(t.target.type === 'webhook' ? { type: 'webhook', url: t.target.url } : { type: 'queue', url: '' });
    const draft = t.filter?.builder ? draftOf(t.filter.builder, fields) : null;
    setFilter(draft || !t.filter ? { mode: 'conditions', draft: draft ?? EMPTY_FILTER, expression: '' } : { mode: 'expression', draft: EMPTY_FILTER, expression: t.filter.expression });
  }, [t, def.data, filter, fields]);

  if (trigger.error) return trigger.error.status === 404 ? <NotFoundPage what="This trigger" /> : <ProblemNotice error={trigger.error} />;
  if (!t || !filter) return def.error ? <ProblemNotice error={def.error} /> : <Loading label="Loading the trigger" />;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    setInvalid(null);
    let next: FilterGroup | string | null;
    if (filter.mode === 'expression') next = filter.expression.trim() || null;
    else {
      const built = buildFilter(filter.draft, fields);
      if ('invalid' in built) return setInvalid({ message: built.message, condition: built.invalid });
      next = built.filter;
    }
    setBusy(true);
    try {
      const saved = await api.patch<Trigger & { signingSecret: string | null }>(`/api/v1/triggers/${enc(t.id)}`, {
        name: name.trim() || t.name,
        filter: next,
        target: targetOf(target),
      });
      trigger.set(saved);
      if (saved.signingSecret) setSecret(saved.signingSecret);
      else navigate(`/triggers/${t.id}`);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  if (secret) {
    return (
      <>
        <PageHeader title="Trigger saved" documentTitle="Trigger saved" />
        <SigningSecretNotice secret={secret} />
        <Link className="button primary" href={`/triggers/${t.id}`}>Open the trigger</Link>
      </>
    );
  }
  return (
    <>
      <PageHeader title={`Edit ${t.name}`} documentTitle={`Edit ${t.name}`} subtitle={<Link href={`/triggers/${t.id}`}>Back to the trigger</Link>} />
      <form className="card form" onSubmit={submit} aria-label="Edit trigger">
        {error && <ProblemNotice error={error} title="The trigger was not saved" />}
        {invalid && <Notice kind="error" title="The trigger was not saved">{invalid.message}</Notice>}
        <p className="muted">{definition?.displayName ?? t.event}: its connection and event stay; add another trigger for another event.</p>
        <div className="field">
          <label htmlFor="trigger-name">Name</label>
          <input id="trigger-name" maxLength={200} required value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <FilterFieldset fields={fields} value={filter} onChange={setFilter} invalid={invalid?.condition} />
        <TargetFieldset value={target} onChange={setTarget} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
          <Link className="button" href={`/triggers/${t.id}`}>Cancel</Link>
        </div>
      </form>
    </>
  );
}
