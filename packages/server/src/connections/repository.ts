import type { Queryable } from '../store/database.ts';

export type ConnectionStatus = 'Pending' | 'Connected' | 'Disabled';

export interface ConnectionRow {
  id: string;
  tenant_id: string;
  folder_id: string;
  connector_key: string;
  connector_version: string;
  auth_type: string;
  name: string;
  account: string | null;
  account_id: string | null;
  status: ConnectionStatus;
  disabled_reason: string | null;
  status_message: string | null;
  is_default: boolean;
  owner_id: string;
  owner_email?: string;
  environment: string | null;
  config: Record<string, unknown>;
  metadata: Record<string, unknown>;
  granted_scopes: string[];
  polling_interval_minutes: number;
  token_expires_at: Date | null;
  last_refreshed_at: Date | null;
  last_checked_at: Date | null;
  last_check_ok: boolean | null;
  last_check_message: string | null;
  last_used_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The public shape of a connection. It is built from the row only, which holds no secret. */
export interface ConnectionView {
  id: string;
  name: string;
  connector: string;
  connectorVersion: string;
  folderId: string;
  authType: string;
  account: string | null;
  accountId: string | null;
  status: ConnectionStatus;
  disabledReason: string | null;
  statusMessage: string | null;
  isDefault: boolean;
  owner: { id: string; email: string | null };
  environment: string | null;
  fields: Record<string, unknown>;
  grantedScopes: string[];
  pollingIntervalMinutes: number;
  tokenExpiresAt: string | null;
  lastRefreshedAt: string | null;
  lastCheck: { at: string; ok: boolean; message: string | null } | null;
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toView(row: ConnectionRow): ConnectionView {
  return {
    id: row.id,
    name: row.name,
    connector: row.connector_key,
    connectorVersion: row.connector_version,
    folderId: row.folder_id,
    authType: row.auth_type,
    account: row.account,
    accountId: row.account_id,
    status: row.status,
    disabledReason: row.disabled_reason,
    statusMessage: row.status_message,
    isDefault: row.is_default,
    owner: { id: row.owner_id, email: row.owner_email ?? null },
    environment: row.environment,
    fields: row.config,
    grantedScopes: row.granted_scopes,
    pollingIntervalMinutes: row.polling_interval_minutes,
    tokenExpiresAt: iso(row.token_expires_at),
    lastRefreshedAt: iso(row.last_refreshed_at),
    lastCheck: row.last_checked_at ? { at: row.last_checked_at.toISOString(), ok: Boolean(row.last_check_ok), message: row.last_check_message } : null,
    lastUsedAt: iso(row.last_used_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const SELECT_CONNECTION = 'SELECT c.*, u.email AS owner_email FROM connections c JOIN users u ON u.id = c.owner_id';

export async function findConnection(db: Queryable, tenantId: string, id: string, forUpdate = false): Promise<ConnectionRow | undefined> {
  const [row] = await db.query<ConnectionRow>(`${SELECT_CONNECTION} WHERE c.id = $1 AND c.tenant_id = $2${forUpdate ? ' FOR UPDATE OF c' : ''}`, [id, tenantId]);
  return row;
}

export async function findConnectionById(db: Queryable, id: string): Promise<ConnectionRow | undefined> {
  const [row] = await db.query<ConnectionRow>(`${SELECT_CONNECTION} WHERE c.id = $1`, [id]);
  return row;
}

/**
 * Makes this connection its folder's default for its connector when none is, which is how
 * the first connection becomes the default. The partial unique index settles races.
 */
export async function claimDefaultIfNone(db: Queryable, row: Pick<ConnectionRow, 'id' | 'folder_id' | 'connector_key'>): Promise<void> {
  await db.query(
    `UPDATE connections SET is_default = true
      WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM connections WHERE folder_id = $2 AND connector_key = $3 AND is_default)`,
    [row.id, row.folder_id, row.connector_key],
  );
}

export async function recordEvent(db: Queryable, row: Pick<ConnectionRow, 'id' | 'tenant_id' | 'folder_id'>, type: string, payload: Record<string, unknown>): Promise<void> {
  await db.query('INSERT INTO connection_events (id, tenant_id, connection_id, folder_id, type, payload) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)', [
    row.tenant_id, row.id, row.folder_id, type, JSON.stringify(payload),
  ]);
}
