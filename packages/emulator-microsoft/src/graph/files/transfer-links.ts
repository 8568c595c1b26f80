/**
 * The origin of a drive's pre-authenticated URLs (download, upload session, copy monitor). By
 * default the listener itself, on the host the request came to. With `transferLinks:
 * 'sharepoint'` the tenant's SharePoint host, as Microsoft's URLs are: OneDrive drives on
 * `{tenant}-my.sharepoint.{suffix}`, site libraries on `{tenant}.sharepoint.{suffix}`, personal
 * drives on OneDrive's content host. The emulator's host map points those hosts back here.
 */
import { PERSONAL_CONTENT_HOST, sharePointHosts } from '../../clouds.ts';
import type { Drive } from '../../data/files/drive.ts';
import type { ItemScope } from './serialize.ts';

export function transferOrigin(scope: ItemScope, drive: Drive): string {
  if (scope.l.emu.transferLinks !== 'sharepoint') return scope.origin;
  const tenant = scope.l.emu.state.tenants.get(drive.record.tenantId);
  if (!tenant || tenant.kind === 'consumer') return `https://${PERSONAL_CONTENT_HOST}`;
  const hosts = sharePointHosts(scope.l.def, tenant.name);
  return `https://${drive.record.owner.kind === 'user' ? hosts.personal : hosts.sites}`;
}
