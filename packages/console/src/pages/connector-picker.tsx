import { useState } from 'react';
import type { ConnectorSummary } from '../api/types.ts';
import { ConnectorIcon } from '../components/connector-icon.tsx';
import { Link } from '../router.tsx';

/** "Connect to": every connector as a card, with a search box and category filters. */
export function ConnectorPicker({ connectors, hrefOf }: { connectors: ConnectorSummary[]; hrefOf: (key: string) => string }) {
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const categories = [...new Set(connectors.flatMap((c) => c.categories))].sort();
  const q = query.trim().toLowerCase();
  const shown = connectors.filter(
    (c) => (!category || c.categories.includes(category)) && (!q || [c.displayName, c.vendor, c.key, c.description, ...c.categories].some((s) => s.toLowerCase().includes(q))),
  );
  return (
    <section aria-labelledby="picker-title">
      <h2 id="picker-title">Choose a connector</h2>
      <div className="filters" role="search" aria-label="Find a connector">
        <label>
          <span>Search</span>
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name, vendor or category" autoFocus />
        </label>
      </div>
      <div className="chips" role="group" aria-label="Categories">
        <button type="button" aria-pressed={category === null} onClick={() => setCategory(null)}>
          All
        </button>
        {categories.map((c) => (
          <button key={c} type="button" aria-pressed={category === c} onClick={() => setCategory(category === c ? null : c)}>
            {c}
          </button>
        ))}
      </div>
      <p className="muted small" role="status">
        {shown.length} connector{shown.length === 1 ? '' : 's'}
      </p>
      <ul className="cards">
        {shown.map((c) => (
          <li key={c.key}>
            <Link className="card connector-card" href={hrefOf(c.key)}>
              <ConnectorIcon icon={c.icon} size={32} />
              <span className="connector-card-text">
                <strong>{c.displayName}</strong>
                <span className="muted small">
                  {c.vendor} · {c.categories.join(', ')}
                </span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
