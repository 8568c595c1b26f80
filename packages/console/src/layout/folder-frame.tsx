import type { ReactNode } from 'react';
import type { Folder } from '../api/types.ts';
import { Loading } from '../components/notice.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Tabs } from '../components/tabs.tsx';
import { NotFoundPage } from '../pages/not-found.tsx';
import { can, folderLabel, useWorkspace } from '../session.tsx';

type Tab = 'connections' | 'triggers' | 'members';

/** The folder's header and tabs around one tab's content, or "not found" for folders the user cannot see. */
export function FolderFrame({ folderId, tab, actions, children }: { folderId: string; tab: Tab; actions?: (folder: Folder) => ReactNode; children: (folder: Folder) => ReactNode }) {
  const { folders, session } = useWorkspace();
  if (!folders.data) return <Loading />;
  const folder = folders.data.find((f) => f.id === folderId);
  if (!folder) return <NotFoundPage what="This folder" />;
  const label = folderLabel(folder, session);
  const base = `/folders/${folder.id}`;
  const tabs = [
    { href: `${base}/connections`, label: 'Connections' },
    { href: `${base}/triggers`, label: 'Triggers' },
    ...(folder.kind === 'shared' && can(folder, 'Folders.Manage') ? [{ href: `${base}/members`, label: 'Members' }] : []),
  ];
  const kind = folder.kind === 'personal' ? 'Personal workspace' : 'Shared folder';
  return (
    <>
      <PageHeader
        title={label}
        documentTitle={`${tab[0]!.toUpperCase()}${tab.slice(1)} · ${label}`}
        subtitle={`${kind}${folder.role ? ` · your role: ${folder.role}` : ''}`}
        actions={actions?.(folder)}
      />
      <Tabs label={`${label} sections`} tabs={tabs} current={`${base}/${tab}`} />
      {children(folder)}
    </>
  );
}
