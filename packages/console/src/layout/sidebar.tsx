import { type FormEvent, useState } from 'react';
import { type ApiError, api } from '../api/client.ts';
import type { Folder } from '../api/types.ts';
import { Notice } from '../components/notice.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useWorkspace } from '../session.tsx';

interface TreeNode {
  folder: Folder;
  children: TreeNode[];
}

/** Shared folders as a tree; a folder whose parent the user cannot see starts its own branch. */
function tree(folders: Folder[]): TreeNode[] {
  const nodes = new Map(folders.map((f) => [f.id, { folder: f, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.folder.parentId ? nodes.get(node.folder.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

function FolderLinks({ nodes, currentId }: { nodes: TreeNode[]; currentId: string | undefined }) {
  return (
    <ul>
      {nodes.map(({ folder, children }) => (
        <li key={folder.id}>
          <Link href={`/folders/${folder.id}/connections`} aria-current={folder.id === currentId ? 'page' : undefined} title={folder.fullyQualifiedName}>
            {folder.name}
          </Link>
          {children.length > 0 && <FolderLinks nodes={children} currentId={currentId} />}
        </li>
      ))}
    </ul>
  );
}

export function Sidebar({ open }: { open: boolean }) {
  const { session, folders } = useWorkspace();
  const { pathname } = useLocation();
  const currentId = /^\/folders\/([^/]+)/.exec(pathname)?.[1];
  const all = folders.data ?? [];
  const mine = all.find((f) => f.kind === 'personal' && f.ownerId === session.user.id);
  const shared = all.filter((f) => f.kind === 'shared');
  const others = all.filter((f) => f.kind === 'personal' && f.ownerId !== session.user.id);
  const section = (prefix: string) => (pathname.startsWith(prefix) ? 'page' : undefined);

  return (
    <nav id="sidebar" className={`sidebar${open ? ' open' : ''}`} aria-label="Console">
      <h2 className="sidebar-heading">Folders</h2>
      {folders.error && <Notice kind="error">{folders.error.message}</Notice>}
      {mine && (
        <ul>
          <li>
            <Link href={`/folders/${mine.id}/connections`} aria-current={mine.id === currentId ? 'page' : undefined}>
              My Workspace
            </Link>
          </li>
        </ul>
      )}
      {shared.length > 0 && (
        <>
          <h3 className="sidebar-subheading">Shared folders</h3>
          <FolderLinks nodes={tree(shared)} currentId={currentId} />
        </>
      )}
      {others.length > 0 && (
        <details>
          <summary>Other workspaces ({others.length})</summary>
          <FolderLinks nodes={others.map((folder) => ({ folder, children: [] }))} currentId={currentId} />
        </details>
      )}
      {session.user.isTenantAdmin && <NewFolder shared={shared} />}
      <h2 className="sidebar-heading">Integration Service</h2>
      <ul>
        <li><Link href="/catalog" aria-current={section('/catalog')}>Connector catalog</Link></li>
        <li><Link href="/usage" aria-current={section('/usage')}>Usage</Link></li>
        <li><Link href="/troubleshooting" aria-current={section('/troubleshooting')}>Troubleshooting</Link></li>
        {session.user.isTenantAdmin && <li><Link href="/admin/users" aria-current={section('/admin')}>Users</Link></li>}
      </ul>
    </nav>
  );
}

/** Tenant administrators create shared folders (top level or nested) from the sidebar. */
function NewFolder({ shared }: { shared: Folder[] }) {
  const { folders } = useWorkspace();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const parentId = String(form.get('parentId') || '') || null;
      const created = await api.post<Folder>('/api/v1/folders', { name: String(form.get('name')).trim(), parentId });
      setOpen(false);
      setError(null);
      folders.reload();
      navigate(`/folders/${created.id}/connections`);
    } catch (e) {
      setError(e as ApiError);
    }
  };
  if (!open) {
    return (
      <button type="button" className="link-button" onClick={() => setOpen(true)}>
        + New folder
      </button>
    );
  }
  return (
    <form className="new-folder" onSubmit={submit} aria-label="New folder">
      {error && <Notice kind="error">{error.message}</Notice>}
      <label htmlFor="new-folder-name">Name</label>
      <input id="new-folder-name" name="name" required maxLength={120} pattern="[^/\\]+" autoFocus />
      <label htmlFor="new-folder-parent">Inside</label>
      <select id="new-folder-parent" name="parentId" defaultValue="">
        <option value="">Top level</option>
        {shared.map((f) => (
          <option key={f.id} value={f.id}>
            {f.fullyQualifiedName}
          </option>
        ))}
      </select>
      <div className="row">
        <button type="submit" className="primary">Create</button>
        <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
