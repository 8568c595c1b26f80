import { connectionFields } from '@switchboard/catalog/connection-form';
import { connectorDefinition } from '../api/catalog.ts';
import { api, enc } from '../api/client.ts';
import { useResource } from '../api/use-resource.ts';
import { ConnectorIcon } from '../components/connector-icon.tsx';
import { Loading, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Link } from '../router.tsx';
import { can, useWorkspace } from '../session.tsx';
import { NotFoundPage } from './not-found.tsx';

interface ActivitySummary {
  key: string;
  displayName: string;
  description: string;
  category?: string;
}

/** One connector: what it connects to, how it authenticates, and what it can do. */
export function ConnectorPage({ connectorKey }: { connectorKey: string }) {
  const { folders } = useWorkspace();
  const def = useResource(`definition:${connectorKey}`, () => connectorDefinition(connectorKey));
  const activities = useResource(`activities:${connectorKey}`, () => api.get<{ items: ActivitySummary[] }>(`/api/v1/connectors/${enc(connectorKey)}/activities`));
  if (def.error) return def.error.status === 404 ? <NotFoundPage what="This connector" /> : <ProblemNotice error={def.error} />;
  if (!def.data) return <Loading label="Loading the connector" />;
  const d = def.data;
  const target = folders.data?.find((f) => f.kind === 'shared' && can(f, 'Connections.Create')) ?? folders.data?.find((f) => can(f, 'Connections.Create'));
  // The runtime's list includes generic record activities; the definition's is the fallback.
  const list: ActivitySummary[] = activities.data?.items ?? d.activities;
  return (
    <>
      <PageHeader
        documentTitle={d.displayName}
        title={<span className="with-icon"><ConnectorIcon icon={d.icon} size={32} /> {d.displayName}</span>}
        subtitle={`${d.vendor} · ${d.categories.join(', ')} · version ${d.version}${d.lifecycle !== 'ga' ? ` · ${d.lifecycle}` : ''}`}
        actions={target && <Link className="button primary" href={`/folders/${target.id}/connections/new?connector=${encodeURIComponent(d.key)}`}>Add connection</Link>}
      />
      <p>{d.description}</p>
      {d.docsUrl && (
        <p>
          <a href={d.docsUrl} target="_blank" rel="noreferrer noopener">Vendor documentation</a>
        </p>
      )}
      <section aria-labelledby="auth-title" className="stack">
        <h2 id="auth-title">Authentication types</h2>
        {d.auth.map((a) => (
          <div key={a.type} className="card">
            <h3>
              {a.label} {a.default && <span className="badge badge-ok">default</span>}
            </h3>
            {a.description && <p>{a.description}</p>}
            <p className="muted small">Fields: {connectionFields(d, a).map((f) => f.label).join(', ') || 'none'}</p>
          </div>
        ))}
        {d.environments && (
          <p>
            Environments: {d.environments.options.map((o) => o.label).join(', ')}.
          </p>
        )}
      </section>
      <section aria-labelledby="activities-title" className="stack">
        <h2 id="activities-title">Activities ({list.length})</h2>
        {list.length === 0 ? (
          <p>No activities{d.http.offered ? '; use the HTTP Request activity.' : '.'}</p>
        ) : (
          <ul className="activity-list">
            {list.map((a) => (
              <li key={a.key}>
                <strong>{a.displayName}</strong> <span className="muted small">{a.category}</span>
                <br />
                <span className="muted">{a.description}</span>
              </li>
            ))}
          </ul>
        )}
        {d.http.offered && <p>The HTTP Request activity calls any endpoint of this API with a connection's credentials.</p>}
      </section>
      <section aria-labelledby="triggers-title" className="stack">
        <h2 id="triggers-title">Triggers ({d.triggers.length})</h2>
        {d.triggers.length === 0 ? (
          <p>No triggers.</p>
        ) : (
          <ul className="activity-list">
            {d.triggers.map((t) => (
              <li key={t.key}>
                <strong>{t.displayName}</strong>
                <br />
                <span className="muted">{t.description}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
