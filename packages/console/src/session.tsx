import { createContext, useContext } from 'react';
import type { Resource } from './api/use-resource.ts';
import type { Folder, Session } from './api/types.ts';

export interface Workspace {
  session: Session;
  /** Every folder the user has a role in; the sidebar and the folder pickers read it. */
  folders: Resource<Folder[]>;
  signOut: () => Promise<void>;
}

export const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspace(): Workspace {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error('useWorkspace outside the signed-in console');
  return value;
}

/** "My Workspace" for one's own personal folder, as people know it; the full name otherwise. */
export function folderLabel(folder: Folder, session: Session): string {
  if (folder.kind === 'personal') return folder.ownerId === session.user.id ? 'My Workspace' : folder.name;
  return folder.fullyQualifiedName;
}

export function can(folder: Folder | undefined, permission: string): boolean {
  return folder?.permissions.includes(permission) ?? false;
}
