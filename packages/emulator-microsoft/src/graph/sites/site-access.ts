/**
 * Resolving `/sites/...` anchors within the token's tenant: `root`, a site id (the composite
 * `{hostname},{collection},{web}` or just the collection GUID) or `{hostname}:/{path}`.
 */
import type { StoredSite } from '../../data/sites/model.ts';
import { requireFiles, type PermissionRule } from '../access.ts';
import type { GraphCall } from '../call.ts';
import { FileErrors } from '../files/errors.ts';
import type { SiteAnchor } from '../router/anchors.ts';

export function resolveSite(call: GraphCall, anchor: SiteAnchor): StoredSite {
  const tenantId = call.principal.tenantId;
  const site =
    anchor.ref === 'root'
      ? call.store.site(tenantId, { root: true })
      : anchor.ref === 'id'
        ? call.store.site(tenantId, { id: anchor.id })
        : call.store.site(tenantId, { hostname: anchor.hostname, path: anchor.path });
  if (!site) throw FileErrors.siteNotFound();
  return site;
}

export function openSite(call: GraphCall, rule: PermissionRule): StoredSite {
  const site = resolveSite(call, call.match.site!);
  requireFiles(call.principal, rule, false);
  return site;
}
