import { useEffect, useState } from 'react';
import { connectorDefinition } from '../api/catalog.ts';
import { api, enc } from '../api/client.ts';
import type { Connection } from '../api/types.ts';
import { useResource } from '../api/use-resource.ts';
import { ConnectorIcon } from '../components/connector-icon.tsx';
import { Loading, Notice, ProblemNotice } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { StatusBadge } from '../components/status-badge.tsx';
import { Tabs } from '../components/tabs.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { folderLabel, useWorkspace } from '../session.tsx';
import { ActivityRunner } from './activity-runner.tsx';
import { ConnectionOverview } from './connection-overview.tsx';
import { ConnectionRequests } from './connection-requests.tsx';
import { HttpRequestPanel } from './http-request.tsx';
import { NotFoundPage } from './not-found.tsx';

export type Flash = { kind: 'success' | 'error' | 'info'; title: string; text?: string; code?: string; vendorCode?: string; connected?: boolean };

/** The outcome the OAuth callback (or a non-interactive create) put in the URL, read once and then removed from it. */
function useFlash(): [Flash | null, (f: Flash | null) => void] {
  const { pathname, search } = useLocation();
  const [flash, setFlash] = useState<Flash | null>(() => {
    const params = new URLSearchParams(search);
    const error = params.get('error');
    const status = params.get('status');
    if (error) return { kind: 'error', title: 'The connection was not completed', text: params.get('message') ?? undefined, code: error, vendorCode: params.get('vendorCode') ?? undefined } as Flash;
    if (status) return status === 'Connected' ? { kind: 'success', title: 'Connected', connected: true } : { kind: 'info', title: `Status: ${status}` };
    return null;
  });
  // A reload or a shared link must not replay the outcome.
  useEffect(() => {
    if (search) navigate(pathname, { replace: true });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- once, on arrival
  return [flash, setFlash];
}

const TABS = [
  { tab: 'overview', label: 'Overview', path: '' },
  { tab: 'activities', label: 'Activities', path: '/activities' },
  { tab: 'http', label: 'HTTP Request', path: '/http' },
  { tab: 'requests', label: 'Recent requests', path: '/requests' },
];

export function ConnectionPage({ id, tab }: { id: string; tab: string }) {
  const { folders, session } = useWorkspace();
  const connection = useResource(`connection:${id}`, () => api.get<Connection>(`/api/v1/connections/${enc(id)}`));
  const def = useResource(connection.data ? `definition:${connection.data.connector}` : null, () => connectorDefinition(connection.data!.connector));
  const [flash, setFlash] = useFlash();

  if (connection.error) {
    if (connection.error.status === 404) return <NotFoundPage what="This connection" />;
    return <ProblemNotice error={connection.error} title="The connection could not be loaded" />;
  }
  const c = connection.data;
  const current = TABS.find((t) => t.tab === tab);
  if (!current) return <NotFoundPage />;
  if (!c) return <Loading label="Loading the connection" />;
  const folder = folders.data?.find((f) => f.id === c.folderId);
  const base = `/connections/${c.id}`;
  return (
    <>
      <PageHeader
        documentTitle={`${c.name} · ${current.label}`}
        title={
          <span className="with-icon">
            <ConnectorIcon icon={def.data?.icon} size={28} /> {c.name} <StatusBadge status={c.status} />
          </span>
        }
        subtitle={
          <>
            {def.data?.displayName ?? c.connector} connection in{' '}
            {folder ? <Link href={`/folders/${folder.id}/connections`}>{folderLabel(folder, session)}</Link> : 'a folder'}
          </>
        }
      />
      {flash && (
        <Notice kind={flash.kind} title={flash.connected && c.account ? `Connected as ${c.account}` : flash.title}>
          {flash.text && <p>{flash.text}</p>}
          {flash.vendorCode && <p>Vendor error code: <code>{flash.vendorCode}</code></p>}
          {flash.code && <p className="muted small">Error code {flash.code}</p>}
        </Notice>
      )}
      <Tabs label="Connection sections" current={base + current.path} tabs={TABS.map((t) => ({ href: base + t.path, label: t.label }))} />
      {tab === 'overview' && <ConnectionOverview connection={c} def={def.data} folder={folder} onChange={connection.set} setFlash={setFlash} />}
      {tab === 'activities' && <ActivityRunner connection={c} />}
      {tab === 'http' && <HttpRequestPanel connection={c} />}
      {tab === 'requests' && <ConnectionRequests connectionId={c.id} />}
    </>
  );
}
