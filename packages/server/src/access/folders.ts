import { randomUUID } from 'node:crypto';
import { Problem, forbidden, notFound } from '../problems/problem.ts';
import type { Database, Queryable } from '../store/database.ts';
import { isUuid } from './ids.ts';
import { type Permission, type Role, permissionsOf, roleGrants } from './permissions.ts';
import type { Principal } from './principal.ts';

export type FolderKind = 'shared' | 'personal';

export interface Folder {
  id: string;
  tenantId: string;
  parentId: string | null;
  name: string;
  kind: FolderKind;
  ownerId: string | null;
  /** `Finance/Invoices`: the path of names from the top folder. */
  fullyQualifiedName: string;
  createdAt: string;
  updatedAt: string;
}

/** A folder as one caller sees it: with the role and permissions that caller has there. */
export interface FolderView extends Folder {
  role: Role | null;
  permissions: Permission[];
}

export interface FolderMember {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
}

interface FolderRow {
  id: string;
  tenant_id: string;
  parent_id: string | null;
  name: string;
  kind: FolderKind;
  owner_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Folder names become path segments of fully qualified names, so `/` is not allowed in them. */
export const FOLDER_NAME_PATTERN = '^[^/\\\\]+$';

/**
 * The folder tree of one tenant with one caller's memberships, loaded per request.
 * Tenants have tens to thousands of folders, so two indexed queries and an in-memory
 * walk are cheaper and clearer than a recursive query per check.
 */
class FolderTree {
  private readonly byId: Map<string, FolderRow>;

  constructor(
    rows: FolderRow[],
    private readonly memberships: Map<string, Role>,
    private readonly principal: Principal,
  ) {
    this.byId = new Map(rows.map((r) => [r.id, r]));
  }

  get(id: string): FolderRow | undefined {
    return this.byId.get(id);
  }

  all(): FolderRow[] {
    return [...this.byId.values()];
  }

  fullyQualifiedName(row: FolderRow): string {
    const names: string[] = [];
    for (let f: FolderRow | undefined = row; f; f = f.parent_id ? this.byId.get(f.parent_id) : undefined) names.unshift(f.name);
    return names.join('/');
  }

  /** The caller's role: tenant administrators administer everything; otherwise the nearest ancestor membership wins. */
  roleIn(row: FolderRow): Role | undefined {
    if (this.principal.isTenantAdmin) return 'Administrator';
    if (row.kind === 'personal') return row.owner_id === this.principal.userId ? 'Administrator' : undefined;
    for (let f: FolderRow | undefined = row; f; f = f.parent_id ? this.byId.get(f.parent_id) : undefined) {
      const role = this.memberships.get(f.id);
      if (role) return role;
    }
    return undefined;
  }

  isDescendantOrSelf(candidate: FolderRow, ancestorId: string): boolean {
    for (let f: FolderRow | undefined = candidate; f; f = f.parent_id ? this.byId.get(f.parent_id) : undefined) {
      if (f.id === ancestorId) return true;
    }
    return false;
  }

  view(row: FolderRow): FolderView {
    const role = this.roleIn(row) ?? null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      parentId: row.parent_id,
      name: row.name,
      kind: row.kind,
      ownerId: row.owner_id,
      fullyQualifiedName: this.fullyQualifiedName(row),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      role,
      permissions: role ? [...permissionsOf(role)] : [],
    };
  }
}

export class Folders {
  constructor(private readonly db: Database) {}

  private async tree(principal: Principal, db: Queryable = this.db): Promise<FolderTree> {
    const [rows, members] = await Promise.all([
      db.query<FolderRow>('SELECT * FROM folders WHERE tenant_id = $1', [principal.tenantId]),
      db.query<{ folder_id: string; role: Role }>('SELECT folder_id, role FROM folder_members WHERE user_id = $1', [principal.userId]),
    ]);
    return new FolderTree(rows, new Map(members.map((m) => [m.folder_id, m.role])), principal);
  }

  /** Every folder the caller has a role in, parents before children. */
  async listVisible(principal: Principal): Promise<FolderView[]> {
    const tree = await this.tree(principal);
    return tree
      .all()
      .filter((row) => tree.roleIn(row))
      .map((row) => tree.view(row))
      .sort((a, b) => (a.kind === b.kind ? a.fullyQualifiedName.localeCompare(b.fullyQualifiedName) : a.kind === 'personal' ? 1 : -1));
  }

  /**
   * The access check used by every folder-scoped resource: 404 when the caller cannot see
   * the folder (so its existence does not leak), 403 when they can see it but lack `permission`.
   */
  async authorize(principal: Principal, folderId: string, permission?: Permission, db?: Queryable): Promise<FolderView> {
    const tree = await this.tree(principal, db);
    const row = isUuid(folderId) ? tree.get(folderId) : undefined;
    const role = row && tree.roleIn(row);
    if (!row || !role) throw notFound(`Folder ${folderId}`);
    if (permission && !roleGrants(role, permission)) throw forbidden(permission, `in folder "${tree.fullyQualifiedName(row)}"`);
    return tree.view(row);
  }

  /** The folders in which the caller holds `permission`; list endpoints filter by it. */
  async idsWithPermission(principal: Principal, permission: Permission): Promise<string[]> {
    const tree = await this.tree(principal);
    return tree.all().filter((row) => {
      const role = tree.roleIn(row);
      return role !== undefined && roleGrants(role, permission);
    }).map((row) => row.id);
  }

  async get(principal: Principal, id: string): Promise<FolderView> {
    return this.authorize(principal, id);
  }

  async create(principal: Principal, input: { name: string; parentId?: string | null | undefined }): Promise<FolderView> {
    const name = input.name.trim();
    return this.db.transaction(async (tx) => {
      if (input.parentId) {
        const parent = await this.authorize(principal, input.parentId, 'Folders.Manage', tx);
        if (parent.kind === 'personal') throw new Problem('VALIDATION_FAILED', 'Personal workspaces cannot have subfolders.', { errors: [{ path: '/body/parentId', message: 'must be a shared folder', rule: 'shared-folder' }] });
      } else if (!principal.isTenantAdmin) {
        throw forbidden('Folders.Manage', 'at the top level (only tenant administrators create top-level folders)');
      }
      const id = randomUUID();
      await this.insertUnique(tx, () =>
        tx.query('INSERT INTO folders (id, tenant_id, parent_id, name, kind) VALUES ($1, $2, $3, $4, $5)', [id, principal.tenantId, input.parentId ?? null, name, 'shared']),
        name,
      );
      return this.authorize(principal, id, undefined, tx);
    });
  }

  async update(principal: Principal, id: string, input: { name?: string | undefined; parentId?: string | null | undefined }): Promise<FolderView> {
    return this.db.transaction(async (tx) => {
      const folder = await this.authorize(principal, id, 'Folders.Manage', tx);
      if (folder.kind === 'personal') throw new Problem('CONFLICT', 'A personal workspace cannot be renamed or moved.');
      const name = input.name?.trim() ?? folder.name;
      let parentId = folder.parentId;
      if (input.parentId !== undefined && input.parentId !== folder.parentId) {
        parentId = input.parentId;
        if (parentId === null) {
          if (!principal.isTenantAdmin) throw forbidden('Folders.Manage', 'at the top level (only tenant administrators create top-level folders)');
        } else {
          const parent = await this.authorize(principal, parentId, 'Folders.Manage', tx);
          if (parent.kind === 'personal') throw new Problem('VALIDATION_FAILED', 'A shared folder cannot move into a personal workspace.', { errors: [{ path: '/body/parentId', message: 'must be a shared folder', rule: 'shared-folder' }] });
          const tree = await this.tree(principal, tx);
          if (tree.isDescendantOrSelf(tree.get(parentId)!, id)) {
            throw new Problem('VALIDATION_FAILED', 'A folder cannot move into itself or one of its subfolders.', { errors: [{ path: '/body/parentId', message: 'would create a cycle', rule: 'no-cycle' }] });
          }
        }
      }
      await this.insertUnique(tx, () =>
        tx.query('UPDATE folders SET name = $2, parent_id = $3, updated_at = now() WHERE id = $1', [id, name, parentId]),
        name,
      );
      return this.authorize(principal, id, undefined, tx);
    });
  }

  async delete(principal: Principal, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const folder = await this.authorize(principal, id, 'Folders.Manage', tx);
      if (folder.kind === 'personal') throw new Problem('CONFLICT', 'A personal workspace is deleted with its user, not on its own.');
      const [children] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM folders WHERE parent_id = $1', [id]);
      if (children!.n > 0) throw new Problem('FOLDER_NOT_EMPTY', `Folder "${folder.fullyQualifiedName}" has ${children!.n} subfolder(s); delete or move them first.`);
      for (const check of folderContentChecks) {
        const blocking = await check(tx, id);
        if (blocking) throw new Problem('FOLDER_NOT_EMPTY', `Folder "${folder.fullyQualifiedName}" still holds ${blocking}; delete or move them first.`);
      }
      await tx.query('DELETE FROM folders WHERE id = $1', [id]);
    });
  }

  async listMembers(principal: Principal, folderId: string): Promise<FolderMember[]> {
    await this.authorize(principal, folderId);
    const rows = await this.db.query<{ user_id: string; email: string; display_name: string; role: Role }>(
      `SELECT m.user_id, u.email, u.display_name, m.role FROM folder_members m JOIN users u ON u.id = m.user_id
        WHERE m.folder_id = $1 ORDER BY lower(u.email)`,
      [folderId],
    );
    return rows.map((r) => ({ userId: r.user_id, email: r.email, displayName: r.display_name, role: r.role }));
  }

  async setMember(principal: Principal, folderId: string, userId: string, role: Role): Promise<FolderMember> {
    return this.db.transaction(async (tx) => {
      const folder = await this.authorize(principal, folderId, 'Folders.Manage', tx);
      if (folder.kind === 'personal') throw new Problem('CONFLICT', 'A personal workspace belongs to its owner alone; share connections through a shared folder.');
      const [user] = isUuid(userId)
        ? await tx.query<{ id: string; email: string; display_name: string }>('SELECT id, email, display_name FROM users WHERE id = $1 AND tenant_id = $2', [userId, principal.tenantId])
        : [];
      if (!user) throw notFound(`User ${userId}`);
      await tx.query(
        `INSERT INTO folder_members (folder_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (folder_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
        [folderId, userId, role],
      );
      return { userId: user.id, email: user.email, displayName: user.display_name, role };
    });
  }

  async removeMember(principal: Principal, folderId: string, userId: string): Promise<void> {
    await this.authorize(principal, folderId, 'Folders.Manage');
    const rows = isUuid(userId) ? await this.db.query('DELETE FROM folder_members WHERE folder_id = $1 AND user_id = $2 RETURNING user_id', [folderId, userId]) : [];
    if (rows.length === 0) throw notFound(`Membership of user ${userId} in folder ${folderId}`);
  }

  /** Sibling names are unique (case-insensitive); the unique index is the arbiter, so races end in a clear 409 too. */
  private async insertUnique(tx: Queryable, write: () => Promise<unknown>, name: string): Promise<void> {
    try {
      await write();
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new Problem('CONFLICT', `A folder named "${name}" already exists here.`);
      throw error;
    }
  }
}

/** Later stages (connections, triggers) register a check that names what still lives in a folder. */
export type FolderContentCheck = (tx: Queryable, folderId: string) => Promise<string | undefined>;
const folderContentChecks: FolderContentCheck[] = [];
export function registerFolderContentCheck(check: FolderContentCheck): void {
  folderContentChecks.push(check);
}
