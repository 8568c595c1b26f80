import { randomUUID } from 'node:crypto';
import { Problem, forbidden, notFound } from '../problems/problem.ts';
import type { Database, Queryable } from '../store/database.ts';
import type { ApiKeys, ApiKeyView } from './api-keys.ts';
import { isUuid } from './ids.ts';
import type { Principal } from './principal.ts';

export interface User {
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  isTenantAdmin: boolean;
  personalFolderId: string;
  createdAt: string;
}

interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  display_name: string;
  is_tenant_admin: boolean;
  created_at: Date;
  personal_folder_id: string;
}

const SELECT_USER = `SELECT u.id, u.tenant_id, u.email, u.display_name, u.is_tenant_admin, u.created_at, f.id AS personal_folder_id
  FROM users u JOIN folders f ON f.owner_id = u.id AND f.kind = 'personal'`;

function toUser(row: UserRow): User {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    displayName: row.display_name,
    isTenantAdmin: row.is_tenant_admin,
    personalFolderId: row.personal_folder_id,
    createdAt: row.created_at.toISOString(),
  };
}

export class Users {
  constructor(
    private readonly db: Database,
    private readonly apiKeys: ApiKeys,
  ) {}

  /** Creates a user with their personal workspace, in the caller's transaction. */
  async insert(tx: Queryable, input: { tenantId: string; email: string; displayName: string; isTenantAdmin: boolean }): Promise<User> {
    const id = randomUUID();
    try {
      await tx.query('INSERT INTO users (id, tenant_id, email, display_name, is_tenant_admin) VALUES ($1, $2, $3, $4, $5)', [
        id, input.tenantId, input.email.trim(), input.displayName.trim(), input.isTenantAdmin,
      ]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new Problem('CONFLICT', `A user with email ${input.email} already exists.`, { extensions: { field: 'email' } });
      throw error;
    }
    await tx.query('INSERT INTO folders (id, tenant_id, name, kind, owner_id) VALUES ($1, $2, $3, $4, $5)', [
      randomUUID(), input.tenantId, `${input.displayName.trim()}'s workspace`, 'personal', id,
    ]);
    const [row] = await tx.query<UserRow>(`${SELECT_USER} WHERE u.id = $1`, [id]);
    return toUser(row!);
  }

  async create(principal: Principal, input: { email: string; displayName?: string | undefined; isTenantAdmin?: boolean | undefined }): Promise<User> {
    if (!principal.isTenantAdmin) throw forbidden('tenant administrator', 'to create users');
    return this.db.transaction((tx) =>
      this.insert(tx, {
        tenantId: principal.tenantId,
        email: input.email,
        displayName: input.displayName?.trim() || input.email.split('@')[0]!,
        isTenantAdmin: input.isTenantAdmin ?? false,
      }),
    );
  }

  /** Tenant administrators see every user; others see themselves (folder managers add members by id). */
  async list(principal: Principal): Promise<User[]> {
    const rows = principal.isTenantAdmin
      ? await this.db.query<UserRow>(`${SELECT_USER} WHERE u.tenant_id = $1 ORDER BY lower(u.email)`, [principal.tenantId])
      : await this.db.query<UserRow>(`${SELECT_USER} WHERE u.id = $1`, [principal.userId]);
    return rows.map(toUser);
  }

  async get(principal: Principal, id: string): Promise<User> {
    const target = id === 'me' ? principal.userId : id;
    if (!principal.isTenantAdmin && target !== principal.userId) throw notFound(`User ${id}`);
    const [row] = isUuid(target) ? await this.db.query<UserRow>(`${SELECT_USER} WHERE u.id = $1 AND u.tenant_id = $2`, [target, principal.tenantId]) : [];
    if (!row) throw notFound(`User ${id}`);
    return toUser(row);
  }

  /** Keys are managed by their owner, or by a tenant administrator acting for them. */
  async createApiKey(principal: Principal, userId: string, input: { name: string; expiresAt?: string | undefined }): Promise<{ key: string; apiKey: ApiKeyView }> {
    const user = await this.get(principal, userId);
    let expiresAt: Date | undefined;
    if (input.expiresAt !== undefined) {
      expiresAt = new Date(input.expiresAt);
      if (!(expiresAt.getTime() > Date.now())) {
        throw new Problem('VALIDATION_FAILED', 'expiresAt must be in the future.', { errors: [{ path: '/body/expiresAt', message: 'must be a future date-time', rule: 'future' }] });
      }
    }
    return this.db.transaction((tx) => this.apiKeys.create(tx, { tenantId: user.tenantId, userId: user.id, name: input.name.trim(), expiresAt }));
  }

  async listApiKeys(principal: Principal, userId: string): Promise<ApiKeyView[]> {
    const user = await this.get(principal, userId);
    return this.apiKeys.list(user.id);
  }

  async revokeApiKey(principal: Principal, userId: string, keyId: string): Promise<ApiKeyView> {
    const user = await this.get(principal, userId);
    const revoked = isUuid(keyId) ? await this.apiKeys.revoke(user.id, keyId) : undefined;
    if (!revoked) throw notFound(`API key ${keyId}`);
    return revoked;
  }
}
