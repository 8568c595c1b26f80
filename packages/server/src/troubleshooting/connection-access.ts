import type { Folders } from '../access/folders.ts';
import { isUuid } from '../access/ids.ts';
import type { Principal } from '../access/principal.ts';
import { type ConnectionRow, findConnection } from '../connections/repository.ts';
import { Problem, notFound } from '../problems/problem.ts';
import type { Queryable } from '../store/database.ts';

/**
 * The connection access rule, as the connections API applies it: a connection in a folder
 * you cannot see is "not found"; one you can see but lack `permission` on is 403.
 */
export async function authorizeConnection(
  db: Queryable,
  folders: Folders,
  principal: Principal,
  id: string,
  permission: 'Connections.View' | 'Connections.Edit',
): Promise<ConnectionRow> {
  const row = isUuid(id) ? await findConnection(db, principal.tenantId, id) : undefined;
  if (!row) throw notFound(`Connection ${id}`);
  try {
    await folders.authorize(principal, row.folder_id, 'Connections.View');
  } catch (error) {
    if (error instanceof Problem && error.status === 404) throw notFound(`Connection ${id}`);
    throw error;
  }
  if (permission !== 'Connections.View') await folders.authorize(principal, row.folder_id, permission);
  return row;
}
