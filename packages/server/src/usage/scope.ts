import type { Folders } from '../access/folders.ts';
import type { Principal } from '../access/principal.ts';

/** `all`: no folder filter (tenant administrators); otherwise only rows of these folders. */
export type FolderScope = { all: true } | { all: false; ids: string[] };

/**
 * Which folders' usage and request logs the caller may read: those where they hold
 * Connections.View. Tenant administrators read everything, including rows of folders deleted
 * since (usage is history). Asking for one folder you cannot see answers 404, like elsewhere.
 */
export async function readableFolders(folders: Folders, principal: Principal, folderId?: string): Promise<FolderScope> {
  if (principal.isTenantAdmin) return folderId ? { all: false, ids: [folderId] } : { all: true };
  if (folderId) {
    await folders.authorize(principal, folderId, 'Connections.View');
    return { all: false, ids: [folderId] };
  }
  return { all: false, ids: await folders.idsWithPermission(principal, 'Connections.View') };
}
