import { useState } from 'react';
import { connectorSummaries } from '../api/catalog.ts';
import { useResource } from '../api/use-resource.ts';
import { ConnectorIcon } from '../components/connector-icon.tsx';
import { Loading, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Link } from '../router.tsx';

/** Every connector with its authentication types, activities and triggers. */
export function CatalogPage() {
  const catalog = useResource('connectors', connectorSummaries);
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState('');
  const all = catalog.data ?? [];
  const categories = [...new Set(all.flatMap((c) => c.categories))].sort();
  const q = query.trim().toLowerCase();
  const shown = all.filter((c) => (!category || c.categories.includes(category)) && (!q || [c.displayName, c.vendor, c.key, ...c.categories].some((s) => s.toLowerCase().includes(q))));
  return (
    <>
      <PageHeader title="Connector catalog" documentTitle="Connector catalog" subtitle="Connectors are data: each describes its authentication types, environments, activities and triggers." />
      <div className="filters" role="search" aria-label="Find a connector">
        <label>
          <span>Search</span>
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name, vendor or category" />
        </label>
        <label>
          <span>Category</span>
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
      </div>
      {catalog.error ? (
        <ProblemNotice error={catalog.error} />
      ) : !catalog.data ? (
        <Loading label="Loading the catalog" />
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Connectors</caption>
            <thead>
              <tr>
                <th scope="col">Connector</th>
                <th scope="col">Categories</th>
                <th scope="col">Authentication types</th>
                <th scope="col" className="num">Activities</th>
                <th scope="col" className="num">Triggers</th>
                <th scope="col">HTTP Request</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.key}>
                  <th scope="row">
                    <Link href={`/catalog/${c.key}`} className="with-icon">
                      <ConnectorIcon icon={c.icon} size={20} /> {c.displayName}
                    </Link>
                    {c.lifecycle !== 'ga' && <span className="badge badge-warn"> {c.lifecycle}</span>}
                  </th>
                  <td>{c.categories.join(', ')}</td>
                  <td>{c.authTypes.map((a) => a.label).join(', ')}</td>
                  <td className="num">{c.activityCount}</td>
                  <td className="num">{c.triggerCount}</td>
                  <td>{c.hasHttpRequest ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
