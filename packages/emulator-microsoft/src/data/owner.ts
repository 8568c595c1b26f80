/**
 * What every per-user (or per-site) store needs from the outside: the clock, the change log
 * bound to its owner, and whether ids take the personal-account shapes.
 */
import type { ChangeLog, ChangeResource, ChangeType } from './change-log.ts';

export interface OwnerContext {
  tenantId: string;
  /** Mailbox, calendar or OneDrive owner; absent for site data. */
  userId?: string;
  /** Personal Microsoft account data (consumer tenant): Exchange ids start `AQMk`. */
  personal: boolean;
  now(): number;
  changes: ChangeLog;
}

export function recordChange(
  o: OwnerContext,
  changeType: ChangeType,
  resource: ChangeResource,
  id: string,
  where: { container?: string; scope?: string } = {},
): void {
  o.changes.record({
    changeType,
    resource,
    id,
    tenantId: o.tenantId,
    ...(o.userId ? { userId: o.userId } : {}),
    ...(where.container ? { container: where.container } : {}),
    ...(where.scope ? { scope: where.scope } : {}),
  });
}
