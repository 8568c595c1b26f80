import { randomUUID } from 'node:crypto';
import type { Database } from '../store/database.ts';
import type { ApiKeys } from './api-keys.ts';
import type { Users } from './users.ts';

const BOOTSTRAP_LOCK_KEY = 727_274_002;

export interface BootstrapResult {
  tenantId: string;
  userId: string;
  email: string;
  /** The administrator key, present only when this call created it and it was not supplied. */
  generatedKey?: string;
}

/**
 * First start: a default tenant, its administrator, a `Shared` folder and an administrator
 * API key. Runs under an advisory lock so instances starting together bootstrap once.
 * Returns undefined when the store was already bootstrapped.
 */
export async function bootstrap(
  db: Database,
  users: Users,
  apiKeys: ApiKeys,
  options: { adminEmail: string; adminKey?: string | undefined },
): Promise<BootstrapResult | undefined> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
    const [existing] = await tx.query('SELECT id FROM tenants LIMIT 1');
    if (existing) return undefined;
    const tenantId = randomUUID();
    await tx.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, 'default']);
    const admin = await users.insert(tx, { tenantId, email: options.adminEmail, displayName: 'Administrator', isTenantAdmin: true });
    await tx.query('INSERT INTO folders (id, tenant_id, name, kind) VALUES ($1, $2, $3, $4)', [randomUUID(), tenantId, 'Shared', 'shared']);
    const { key } = await apiKeys.create(tx, { tenantId, userId: admin.id, name: 'bootstrap', ...(options.adminKey ? { key: options.adminKey } : {}) });
    return { tenantId, userId: admin.id, email: admin.email, ...(options.adminKey ? {} : { generatedKey: key }) };
  });
}
