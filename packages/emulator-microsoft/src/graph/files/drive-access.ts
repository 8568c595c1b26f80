/**
 * Opening a drive for a request — a user's OneDrive (`/me/drive`, `/users/{id}/drive`), a site's
 * library (`/sites/{id}/drive`) or any drive by id (`/drives/{id}`), always within the token's
 * tenant — with the permission check for the operation, and resolving item references (by id,
 * by path, or both: `items/{id}:/relative/path:`). Path lookups ignore case, as OneDrive does.
 */
import type { Drive } from '../../data/files/drive.ts';
import type { Identity, StoredDriveItem } from '../../data/files/model.ts';
import { requireFiles, type PermissionRule } from '../access.ts';
import type { GraphCall } from '../call.ts';
import type { ItemAnchor } from '../router/anchors.ts';
import { resolveSite } from '../sites/site-access.ts';
import { resolveUser } from '../target.ts';
import { FileErrors } from './errors.ts';

export interface DriveContext {
  drive: Drive;
  /** Who changes things, for createdBy / lastModifiedBy. */
  by: Identity;
}

export function actingIdentity(call: GraphCall): Identity {
  const p = call.principal;
  if (p.kind === 'delegated' && p.userId) {
    const u = call.l.emu.state.users.get(p.userId);
    if (u) return call.store.identityOf(u);
  }
  const app = call.l.emu.state.findApp(p.clientId);
  return { kind: 'application', id: p.clientId, displayName: app?.displayName ?? p.clientId };
}

export function openDrive(call: GraphCall, rule: PermissionRule): DriveContext {
  const anchor = call.match.drive!;
  const p = call.principal;
  let drive: Drive | undefined;
  let self = false;
  if (anchor.of === 'user') {
    const target = resolveUser(call, anchor.user, 'directory');
    self = target.self;
    drive = call.store.userDrive(target.user);
  } else if (anchor.of === 'site') {
    drive = call.store.drives.get(resolveSite(call, anchor.site).driveId);
  } else {
    drive = call.store.drive(anchor.id);
    if (drive && drive.record.tenantId !== p.tenantId) drive = undefined;
    if (drive && drive.record.owner.kind === 'user') self = p.kind === 'delegated' && drive.record.owner.userId === p.userId;
  }
  if (!drive) throw FileErrors.itemNotFound();
  requireFiles(p, rule, self);
  return { drive, by: actingIdentity(call) };
}

/** The item an anchor names; 404 itemNotFound when it does not exist. */
export function resolveItem(ctx: DriveContext, anchor: ItemAnchor): StoredDriveItem {
  const base = anchor.id === undefined ? ctx.drive.root() : ctx.drive.item(anchor.id);
  const item = base && ctx.drive.resolve(base, anchor.path);
  if (!item) throw FileErrors.itemNotFound();
  return item;
}

/**
 * For creating by path (`.../{parent-id}:/{name}:/content`): the existing item if any, else the
 * parent (missing folders on the way are created, as OneDrive does for path-based uploads) and
 * the new name.
 */
export function resolveForWrite(ctx: DriveContext, anchor: ItemAnchor): { existing?: StoredDriveItem; parent: StoredDriveItem; name: string } {
  const base = anchor.id === undefined ? ctx.drive.root() : ctx.drive.item(anchor.id);
  if (!base) throw FileErrors.itemNotFound();
  const path = anchor.path.filter((p) => p !== '');
  if (path.length === 0) {
    if (base.parentId === null) throw FileErrors.invalidRequest('The root folder cannot be used as a file.');
    return { existing: base, parent: ctx.drive.item(base.parentId)!, name: base.name };
  }
  const existing = ctx.drive.resolve(base, path);
  let parent = base;
  for (const part of path.slice(0, -1)) {
    if (parent.kind !== 'folder') throw FileErrors.itemNotFound();
    parent = ctx.drive.childByName(parent.id, part) ?? ctx.drive.createFolder(parent, part, ctx.by);
  }
  if (parent.kind !== 'folder') throw FileErrors.itemNotFound();
  return { ...(existing ? { existing } : {}), parent, name: path[path.length - 1]! };
}

/** `If-Match` with an eTag or cTag: 412 when the item has changed since. */
export function checkIfMatch(call: GraphCall, item: StoredDriveItem): void {
  const wanted = call.header('if-match');
  if (!wanted || wanted === '*') return;
  const tag = `{${item.uniqueId.toUpperCase()}}`;
  const current = [`"${tag},${item.version}"`, `"c:${tag},${item.contentVersion}"`];
  if (!current.includes(wanted.trim())) throw FileErrors.resourceModified();
}

export function driveContextUrl(call: GraphCall, ctx: DriveContext, rest: string): string {
  return `${call.metadata}#drives('${ctx.drive.id}')/${rest}`;
}
