/**
 * The `{tenant}` path segment: common, organizations, consumers, a tenant GUID or a verified
 * domain. Which apps may use which segment, and which users may then sign in, follow the
 * v2.0 rules (reference doc, "Endpoints and tenant segment").
 */
import type { LoginCloudName } from '../clouds.ts';
import { isGuid } from '../ids.ts';
import type { App, Tenant, User } from '../model.ts';
import type { EmulatorState } from '../state.ts';
import { Aad } from './errors.ts';

export type TenantScope =
  | { kind: 'common' | 'organizations' | 'consumers'; label: string }
  | { kind: 'tenant'; tenant: Tenant; label: string };

const AUDIENCE_SEGMENTS = ['common', 'organizations', 'consumers'] as const;

export function resolveTenantSegment(state: EmulatorState, segment: string, cloud: LoginCloudName): TenantScope {
  const lower = segment.toLowerCase();
  const audience = AUDIENCE_SEGMENTS.find((s) => s === lower);
  if (audience) {
    // Personal accounts exist only where a consumer tenant does (the worldwide cloud).
    if (audience === 'consumers' && !state.tenantsInCloud(cloud).some((t) => t.kind === 'consumer')) throw Aad.tenantNotFound(segment);
    return { kind: audience, label: audience };
  }
  if (!isGuid(segment) && !segment.includes('.')) throw Aad.invalidTenantIdentifier(segment);
  const tenant = state.findTenant(segment);
  // A tenant of another cloud is "not found" here, as Entra answers for cross-cloud sign-ins.
  if (!tenant || (tenant.cloud !== undefined && tenant.cloud !== cloud)) throw Aad.tenantNotFound(segment);
  return { kind: 'tenant', tenant, label: tenant.domains[0] ?? tenant.id };
}

function isPersonal(scope: TenantScope): boolean {
  return scope.kind === 'consumers' || (scope.kind === 'tenant' && scope.tenant.kind === 'consumer');
}

/** Which apps may use the segment at all. Shared by /authorize and /token. */
export function checkAppForScope(app: App, scope: TenantScope): void {
  if (isPersonal(scope)) {
    if (!app.allowPersonalAccounts) throw Aad.organizationsOnly(app);
    return;
  }
  if (scope.kind === 'common' || scope.kind === 'organizations') {
    if (app.signInAudience === 'single') throw Aad.notMultiTenant(app);
    return;
  }
  if (scope.kind === 'tenant' && app.signInAudience === 'single' && scope.tenant.id !== app.homeTenantId) {
    throw Aad.appNotFound(app.clientId, scope.label);
  }
}

/** Whether a user may sign in through this segment. */
export function userFitsScope(state: EmulatorState, user: User, scope: TenantScope): boolean {
  const tenant = state.tenants.get(user.tenantId);
  if (!tenant || !user.accountEnabled) return false;
  switch (scope.kind) {
    case 'tenant':
      return tenant.id === scope.tenant.id;
    case 'consumers':
      return tenant.kind === 'consumer';
    case 'organizations':
      return tenant.kind === 'organization';
    case 'common':
      return true;
  }
}

/** The accounts the consent page offers: users the segment admits and the app may serve. */
export function eligibleUsers(state: EmulatorState, app: App, scope: TenantScope, cloud: LoginCloudName): User[] {
  const tenants = new Map(state.tenantsInCloud(cloud).map((t) => [t.id, t]));
  return [...state.users.values()].filter((u) => {
    const tenant = tenants.get(u.tenantId);
    if (!tenant || !userFitsScope(state, u, scope)) return false;
    if (tenant.kind === 'consumer') return app.allowPersonalAccounts;
    return app.signInAudience === 'multi' || tenant.id === app.homeTenantId;
  });
}
