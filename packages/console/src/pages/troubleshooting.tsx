import { useState } from 'react';
import { api } from '../api/client.ts';
import type { ErrorCatalogEntry } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { LogTable, type RequestLog } from '../components/log-table.tsx';
import { Loading, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Link, useLocation } from '../router.tsx';

/** Failed vendor calls across the folders you can see, and the catalog of error codes with their fixes. */
export function TroubleshootingPage() {
  const { search } = useLocation();
  const [onlyErrors, setOnlyErrors] = useState(true);
  const logs = useResource(`logs:all:${onlyErrors}`, () => api.get<{ items: RequestLog[] }>('/api/v1/logs', { status: onlyErrors ? 'error' : undefined, limit: 100 }));
  return (
    <>
      <PageHeader title="Troubleshooting" documentTitle="Troubleshooting" subtitle="What failed recently, and what each error code means." />
      <section aria-labelledby="logs-title" className="stack">
        <h2 id="logs-title">Recent requests</h2>
        <label className="checkbox">
          <input type="checkbox" checked={onlyErrors} onChange={(e) => setOnlyErrors(e.target.checked)} />
          <span>Only failed requests</span>
        </label>
        {logs.error ? (
          <ProblemNotice error={logs.error} what="Request logs" />
        ) : !logs.data ? (
          <Loading label="Loading requests" />
        ) : (
          <LogTable items={logs.data.items} caption="Recent requests" showConnection={(id) => <Link href={`/connections/${id}/requests`}>Open</Link>} />
        )}
      </section>
      <ErrorCatalog highlight={new URLSearchParams(search).get('code') ?? ''} />
    </>
  );
}

function ErrorCatalog({ highlight }: { highlight: string }) {
  const catalog = useResource('errors', () => api.get<{ items: ErrorCatalogEntry[] }>('/api/v1/errors'));
  const [query, setQuery] = useState(highlight);
  const q = query.trim().toLowerCase();
  const shown = (catalog.data?.items ?? []).filter((e) => !q || [e.code, e.title, e.meaning].some((s) => s.toLowerCase().includes(q)));
  return (
    <section aria-labelledby="codes-title" className="stack">
      <h2 id="codes-title">Error codes</h2>
      <div className="filters" role="search" aria-label="Find an error code">
        <label>
          <span>Search</span>
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Code or words, e.g. AADSTS or refresh" />
        </label>
      </div>
      {catalog.error ? (
        <ProblemNotice error={catalog.error} what="The error catalog" />
      ) : !catalog.data ? (
        <Loading label="Loading error codes" />
      ) : (
        <dl className="error-catalog">
          {shown.map((e) => (
            <div key={e.code} className={e.code === highlight ? 'highlight' : undefined}>
              <dt>
                <code>{e.code}</code> <span className="muted">HTTP {e.status}</span> — {e.title}
              </dt>
              <dd>
                <p>{e.meaning}</p>
                <p>
                  <strong>Fix:</strong> {e.fix}
                </p>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
