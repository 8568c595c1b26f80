import { randomUUID } from 'node:crypto';
import type { Database } from '../store/database.ts';
import type { ApiKeys } from './api-keys.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import type { Users } from './users.ts';

const BOOTSTRAP_LOCK_KEY = 727_274_002;

export interface BootstrapResult {
  tenantId: string;
  userId: string;
  email: string;
  /** The administrator key, present only when this call created it and it was not supplied. */
  generatedKey?: string;
  /** The administrator's console password, present only when this call created it and it was not supplied. */
  generatedPassword?: string;
}

/**
 * First start: a default tenant, its administrator (with a console password), a `Shared`
 * folder and an administrator API key. Runs under an advisory lock so instances starting
 * together bootstrap once.
 * Returns undefined when the store was already bootstrapped.
 */
export async function bootstrap(
  db: Database,
  users: Users,
  apiKeys: ApiKeys,
  options: { adminEmail: string; adminKey?: string | undefined; adminPassword?: string | undefined },
): Promise<BootstrapResult | undefined> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
    const [existing] = await tx.query('SELECT id FROM tenants LIMIT 1');
    if (existing) {
      // A store bootstrapped before console sign-in existed has an administrator without a
      // password: SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD gives it one (and never overwrites one).
      const [admin] = options.adminPassword
        ? await tx.query<{ id: string }>('SELECT id FROM users WHERE lower(email) = lower($1) AND is_tenant_admin AND password_hash IS NULL', [options.adminEmail])
        : [];
      if (admin) await tx.query('UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1', [admin.id, await hashPassword(options.adminPassword!)]);
      return undefined;
    }
    const tenantId = randomUUID();
    await tx.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, 'default']);
    const admin = await users.insert(tx, { tenantId, email: options.adminEmail, displayName: 'Administrator', isTenantAdmin: true });
    await tx.query('INSERT INTO folders (id, tenant_id, name, kind) VALUES ($1, $2, $3, $4)', [randomUUID(), tenantId, 'Shared', 'shared']);
    const { key } = await apiKeys.create(tx, { tenantId, userId: admin.id, name: 'bootstrap', ...(options.adminKey ? { key: options.adminKey } : {}) });
    const password = options.adminPassword ?? generatePassword();
    await tx.query('UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1', [admin.id, await hashPassword(password)]);
    return {
      tenantId, userId: admin.id, email: admin.email,
      ...(options.adminKey ? {} : { generatedKey: key }),
      ...(options.adminPassword ? {} : { generatedPassword: password }),
    };
  });
}
