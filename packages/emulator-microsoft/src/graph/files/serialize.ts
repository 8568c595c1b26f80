/**
 * Drive records → Graph JSON in OneDrive for Business's shape: eTag / cTag built from the item's
 * GUID and versions, identity sets, parentReference with the `/drive/root:` path, the file facet
 * with quickXorHash, and a pre-authenticated `@microsoft.graph.downloadUrl` on this listener.
 */
import type { Drive } from '../../data/files/drive.ts';
import type { Identity, SharingGrant, SharingLink, StoredDriveItem } from '../../data/files/model.ts';
import { quickXorHash } from '../../data/files/quick-xor.ts';
import type { GraphCall } from '../call.ts';
import { isoSeconds } from '../format.ts';
import { transferOrigin } from './transfer-links.ts';

/** What serializing drive items needs from a request: the store, the clock, and the origin for links. */
export type ItemScope = Pick<GraphCall, 'store' | 'origin' | 'now' | 'l'>;

/** One hour, like the download URLs SharePoint hands out. */
export const DOWNLOAD_URL_LIFETIME_MS = 3600_000;

export function identitySet(i: Identity): Record<string, unknown> {
  return { [i.kind]: { ...(i.email ? { email: i.email } : {}), id: i.id, displayName: i.displayName } };
}

const guidTag = (item: StoredDriveItem) => `{${item.uniqueId.toUpperCase()}}`;

export function downloadUrl(call: ItemScope, drive: Drive, item: StoredDriveItem, format?: 'pdf'): string {
  const token = call.store.tempAuth.sign({ k: 'dl', d: item.driveId, i: item.id, exp: call.now() + DOWNLOAD_URL_LIFETIME_MS, ...(format ? { f: format } : {}) });
  return `${transferOrigin(call, drive)}/_layouts/15/download.aspx?UniqueId=${item.uniqueId}&Translate=false&tempauth=${token}&ApiVersion=2.0`;
}

export function itemWebUrl(drive: Drive, item: StoredDriveItem): string {
  const path = drive.pathSegments(item).map(encodeURIComponent).join('/');
  return path ? `${drive.record.webUrl}/${path}` : drive.record.webUrl;
}

export function parentReference(drive: Drive, item: StoredDriveItem): Record<string, unknown> {
  const base: Record<string, unknown> = { driveType: drive.record.driveType, driveId: drive.id };
  if (drive.record.owner.kind === 'site') base.siteId = drive.record.owner.siteId;
  if (item.parentId === null) return base;
  const parent = drive.item(item.parentId)!;
  const path = drive.pathSegments(parent).map(encodeURIComponent).join('/');
  return { ...base, id: parent.id, name: parent.parentId === null ? 'root' : parent.name, path: `/drive/root:${path ? `/${path}` : ''}` };
}

export function itemJson(call: ItemScope, drive: Drive, item: StoredDriveItem, expandChildren = false): Record<string, unknown> {
  const file = item.kind === 'file';
  const json: Record<string, unknown> = {
    ...(file ? { '@microsoft.graph.downloadUrl': downloadUrl(call, drive, item) } : {}),
    createdDateTime: isoSeconds(item.createdAt),
    eTag: `"${guidTag(item)},${item.version}"`,
    id: item.id,
    lastModifiedDateTime: isoSeconds(item.modifiedAt),
    name: item.name,
    ...(item.description !== undefined ? { description: item.description } : {}),
    webUrl: itemWebUrl(drive, item),
    cTag: `"c:${guidTag(item)},${item.contentVersion}"`,
    size: drive.size(item),
    createdBy: identitySet(item.createdBy),
    lastModifiedBy: identitySet(item.modifiedBy),
    parentReference: parentReference(drive, item),
    ...(file ? { file: { mimeType: item.mimeType ?? 'application/octet-stream', hashes: { quickXorHash: quickXorHash(item.content ?? Buffer.alloc(0)) } } } : {}),
    fileSystemInfo: { createdDateTime: isoSeconds(item.createdAt), lastModifiedDateTime: isoSeconds(item.modifiedAt) },
    ...(file ? {} : { folder: { childCount: drive.children(item.id).length } }),
    ...(item.parentId === null ? { root: {} } : {}),
    ...(item.links.length > 0 ? { shared: { scope: item.links.some((l) => l.scope === 'anonymous') ? 'anonymous' : 'organization' } } : {}),
  };
  if (expandChildren && !file) json.children = drive.children(item.id).map((c) => itemJson(call, drive, c));
  return json;
}

const TOTAL_QUOTA = 1024 ** 4;

export function driveJson(call: GraphCall, drive: Drive): Record<string, unknown> {
  const r = drive.record;
  const used = drive.size(drive.root());
  const ownerKind = r.owner.kind;
  let owner: Record<string, unknown>;
  if (r.owner.kind === 'user') {
    const u = call.l.emu.state.users.get(r.owner.userId);
    owner = { user: { ...(u?.mail ? { email: u.mail } : {}), id: r.owner.userId, displayName: u?.displayName ?? '' } };
  } else {
    const site = call.store.sites.get(r.owner.siteId);
    owner = { group: { id: site?.siteCollectionId ?? '', displayName: site?.displayName ?? '' } };
  }
  return {
    createdDateTime: isoSeconds(r.createdAt),
    description: r.description,
    id: r.id,
    lastModifiedDateTime: isoSeconds(drive.root().modifiedAt),
    name: r.name,
    webUrl: r.webUrl,
    driveType: r.driveType,
    createdBy: { user: { displayName: 'System Account' } },
    lastModifiedBy: ownerKind === 'user' ? owner : { user: { displayName: 'System Account' } },
    owner,
    quota: { deleted: 0, remaining: TOTAL_QUOTA - used, state: 'normal', total: TOTAL_QUOTA, used },
  };
}

/** The letter SharePoint puts in sharing URLs (`/:x:/g/...` for a workbook). */
function linkLetter(item: StoredDriveItem): string {
  if (item.kind === 'folder') return 'f';
  const ext = item.name.split('.').pop()?.toLowerCase() ?? '';
  return ({ docx: 'w', xlsx: 'x', pptx: 'p', pdf: 'b', txt: 't', png: 'i', jpg: 'i', jpeg: 'i' } as Record<string, string>)[ext] ?? 'u';
}

export function linkUrl(drive: Drive, item: StoredDriveItem, link: SharingLink): string {
  return `${new URL(drive.record.webUrl).origin}/:${linkLetter(item)}:/g/${link.token}`;
}

export function permissionJson(drive: Drive, item: StoredDriveItem, link: SharingLink): Record<string, unknown> {
  return {
    id: link.id,
    roles: [link.type === 'edit' ? 'write' : 'read'],
    shareId: link.token,
    hasPassword: false,
    link: {
      scope: link.scope,
      type: link.type,
      webUrl: linkUrl(drive, item, link),
      preventsDownload: false,
      ...(link.application ? { application: link.application } : {}),
    },
  };
}

/** A person's permission from an invitation, as driveItem: invite returns it. */
export function grantJson(g: SharingGrant): Record<string, unknown> {
  const who = g.user ?? { id: '', displayName: g.email };
  return {
    '@deprecated.GrantedTo': 'GrantedTo has been deprecated. Refer to GrantedToV2',
    grantedTo: { user: { displayName: who.displayName, id: who.id } },
    grantedToV2: { user: { id: who.id, displayName: who.displayName }, siteUser: { id: '1', displayName: who.displayName, loginName: who.displayName } },
    hasPassword: false,
    id: g.id,
    invitation: { email: g.email, signInRequired: g.requireSignIn },
    roles: [...g.roles],
    ...(g.expirationDateTime ? { expirationDateTime: g.expirationDateTime } : {}),
  };
}
