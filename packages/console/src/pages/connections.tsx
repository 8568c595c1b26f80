import { useMemo, useState } from 'react';
import { connectorSummaries, authTypeLabel } from '../api/catalog.ts';
import { getAll } from '../api/client.ts';
import type { Connection, ConnectionStatus, ConnectorSummary } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { Breakable } from '../components/breakable.tsx';
import { ConnectorIcon } from '../components/connector-icon.tsx';
import { Loading, ProblemNotice } from '../components/notice.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { pollingLabel, timeAgo } from '../format.ts';
import { FolderFrame } from '../layout/folder-frame.tsx';
import { Link } from '../router.tsx';
import { can } from '../session.tsx';

const STATUSES: ConnectionStatus[] = ['Connected', 'Pending', 'Disabled'];

/** A folder's Connections tab: the columns of Orchestrator's connections list, with search and filters. */
export function ConnectionsPage({ folderId }: { folderId: string }) {
  const connections = useResource(`connections:${folderId}`, () => getAll<Connection>('/api/v1/connections', { folderId }));
  const catalog = useResource('connectors', connectorSummaries);
  return (
    <FolderFrame
      folderId={folderId}
      tab="connections"
      actions={(folder) =>
        can(folder, 'Connections.Create') && (
          <Link className="button primary" href={`/folders/${folderId}/connections/new`}>
            Add connection
          </Link>
        )
      }
    >
      {() =>
        connections.error ? (
          <ProblemNotice error={connections.error} title="The connections could not be loaded" />
        ) : !connections.data ? (
          <Loading label="Loading connections" />
        ) : (
          <ConnectionTable connections={connections.data} connectors={catalog.data ?? []} />
        )
      }
    </FolderFrame>
  );
}

function ConnectionTable({ connections, connectors }: { connections: Connection[]; connectors: ConnectorSummary[] }) {
  const [query, setQuery] = useState('');
  const [connector, setConnector] = useState('');
  const [status, setStatus] = useState('');
  const byKey = useMemo(() => new Map(connectors.map((c) => [c.key, c])), [connectors]);
  const present = [...new Set(connections.map((c) => c.connector))].sort();
  const q = query.trim().toLowerCase();
  const shown = connections.filter(
    (c) =>
      (!connector || c.connector === connector) &&
      (!status || c.status === status) &&
      (!q || [c.name, c.account ?? '', byKey.get(c.connector)?.displayName ?? c.connector].some((s) => s.toLowerCase().includes(q))),
  );

  if (connections.length === 0) {
    return (
      <div className="empty">
        <p>No connections in this folder yet.</p>
        <p className="muted">A connection is an authenticated account of a connector (a mailbox, a Salesforce org…) that automations in this folder use.</p>
      </div>
    );
  }
  return (
    <>
      <div className="filters" role="search" aria-label="Filter connections">
        <label>
          <span>Search</span>
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name, account or connector" />
        </label>
        <label>
          <span>Connector</span>
          <select value={connector} onChange={(e) => setConnector(e.target.value)}>
            <option value="">All connectors</option>
            {present.map((key) => (
              <option key={key} value={key}>
                {byKey.get(key)?.displayName ?? key}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Status</span>
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small" role="status">
        {shown.length === connections.length ? `${connections.length} connection${connections.length === 1 ? '' : 's'}` : `${shown.length} of ${connections.length} connections`}
      </p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Connections in this folder</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Connector</th>
              <th scope="col">Connection account</th>
              <th scope="col">Authentication type</th>
              <th scope="col">Status</th>
              <th scope="col">Default</th>
              <th scope="col">Polling</th>
              <th scope="col">Last used</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => {
              const summary = byKey.get(c.connector);
              return (
                <tr key={c.id}>
                  <th scope="row" className="wrap">
                    <Link href={`/connections/${c.id}`}><Breakable text={c.name} /></Link>
                  </th>
                  <td className="nowrap">
                    <span className="with-icon">
                      <ConnectorIcon icon={summary?.icon} size={20} /> {summary?.displayName ?? c.connector}
                    </span>
                  </td>
                  <td className="wrap">{c.account ? <Breakable text={c.account} /> : <span className="muted">—</span>}</td>
                  <td>{authTypeLabel(summary, c.authType)}</td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>{c.isDefault ? 'Yes' : <span className="muted">No</span>}</td>
                  <td className="nowrap">{pollingLabel(c.pollingIntervalMinutes)}</td>
                  <td className="nowrap">{c.lastUsedAt ? <time dateTime={c.lastUsedAt}>{timeAgo(c.lastUsedAt)}</time> : <span className="muted">Never</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && <p>No connection matches these filters.</p>}
    </>
  );
}
