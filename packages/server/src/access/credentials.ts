import { createHash, randomBytes } from 'node:crypto';
import { Problem, forbidden } from '../problems/problem.ts';
import './sign-in-errors.ts';
import type { Database, Queryable } from '../store/database.ts';
import type { Principal } from './principal.ts';
import { checkNewPassword, decoyHash, hashPassword, verifyPassword } from './passwords.ts';
import type { Users } from './users.ts';

/** Long enough to reach someone over a weekend, short enough that a forgotten link dies. */
export const INVITATION_TTL_DAYS = 7;

export interface SignInUser {
  id: string;
  tenantId: string;
  email: string;
  isTenantAdmin: boolean;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Passwords and invitations of console users. Hashes never leave this class; invitation
 * tokens leave it once, in the link handed to the administrator who created it.
 */
export class Credentials {
  constructor(
    private readonly db: Database,
    private readonly users: Users,
  ) {}

  async setPassword(tx: Queryable, userId: string, password: string): Promise<void> {
    await tx.query('UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1', [userId, await hashPassword(password)]);
  }

  /**
   * The user with this email and password, or undefined. Emails are unique per tenant, so
   * in a multi-tenant store the password picks the account. Unknown emails are checked
   * against a decoy hash so they take as long as a wrong password.
   */
  async verify(email: string, password: string): Promise<SignInUser | undefined> {
    const rows = await this.db.query<{ id: string; tenant_id: string; email: string; is_tenant_admin: boolean; password_hash: string }>(
      'SELECT id, tenant_id, email, is_tenant_admin, password_hash FROM users WHERE lower(email) = lower($1) AND password_hash IS NOT NULL ORDER BY created_at LIMIT 5',
      [email.trim()],
    );
    if (rows.length === 0) {
      await verifyPassword(password, await decoyHash());
      return undefined;
    }
    for (const row of rows) {
      if (await verifyPassword(password, row.password_hash)) return { id: row.id, tenantId: row.tenant_id, email: row.email, isTenantAdmin: row.is_tenant_admin };
    }
    return undefined;
  }

  /** Changing a password needs the current one, whether the caller came with a session or an API key. */
  async change(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    checkNewPassword(newPassword);
    const [row] = await this.db.query<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE id = $1', [principal.userId]);
    const ok = row?.password_hash ? await verifyPassword(currentPassword, row.password_hash) : false;
    if (!ok) {
      throw new Problem('VALIDATION_FAILED', 'The current password is not correct.', { errors: [{ path: '/body/currentPassword', message: 'is not correct', rule: 'current-password' }] });
    }
    await this.setPassword(this.db, principal.userId, newPassword);
  }

  /**
   * A one-time link for a user to choose their password (new users, and forgotten passwords).
   * Tenant administrators only. A new link replaces the previous one.
   */
  async invite(principal: Principal, userId: string): Promise<{ userId: string; email: string; token: string; expiresAt: string }> {
    if (!principal.isTenantAdmin) throw forbidden('tenant administrator', 'to create sign-in links');
    const user = await this.users.get(principal, userId);
    const token = randomBytes(32).toString('base64url');
    const [row] = await this.db.query<{ invitation_expires_at: Date }>(
      `UPDATE users SET invitation_hash = $2, invitation_expires_at = now() + make_interval(days => $3), updated_at = now()
        WHERE id = $1 RETURNING invitation_expires_at`,
      [user.id, hashToken(token), INVITATION_TTL_DAYS],
    );
    return { userId: user.id, email: user.email, token, expiresAt: row!.invitation_expires_at.toISOString() };
  }

  /** Redeems an invitation: sets the password and consumes the link in one step, so it works once. */
  async redeem(tx: Queryable, token: string, password: string): Promise<SignInUser> {
    checkNewPassword(password, '/body/password');
    const [row] = await tx.query<{ id: string; tenant_id: string; email: string; is_tenant_admin: boolean }>(
      `UPDATE users SET invitation_hash = NULL, invitation_expires_at = NULL, updated_at = now()
        WHERE invitation_hash = $1 AND invitation_expires_at > now()
        RETURNING id, tenant_id, email, is_tenant_admin`,
      [hashToken(token)],
    );
    if (!row) throw new Problem('INVITATION_INVALID', 'This sign-in link is not valid: it was already used, replaced by a newer one, or it expired. Ask your administrator for a new link.');
    await this.setPassword(tx, row.id, password);
    return { id: row.id, tenantId: row.tenant_id, email: row.email, isTenantAdmin: row.is_tenant_admin };
  }
}
