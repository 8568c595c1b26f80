/**
 * Drive items: get (also `$expand=children`), update (rename, move via parentReference,
 * description), delete, list children (200 per page, `@odata.nextLink`), create a folder with
 * POST children (`@microsoft.graph.conflictBehavior` fail by default → 409), and search by name.
 */
import type { ConflictBehavior } from '../../data/files/drive.ts';
import { DriveError } from '../../data/files/drive.ts';
import type { StoredDriveItem } from '../../data/files/model.ts';
import { optionalString, type Json } from '../../input.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { GraphError } from '../errors.ts';
import { collectionResponse, entityResponse } from '../odata/collection.ts';
import type { Route } from '../router/match.ts';
import { conflictBehavior } from './conflict.ts';
import { checkIfMatch, driveContextUrl, openDrive, resolveItem, type DriveContext } from './drive-access.ts';
import { FileErrors } from './errors.ts';
import { DRIVE_ITEM_SCHEMA } from './schema.ts';
import { itemJson } from './serialize.ts';

/** Data-layer refusals in Graph's words. */
export function driveErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DriveError) {
      if (err.code === 'nameAlreadyExists') throw FileErrors.nameAlreadyExists(err.message);
      if (err.code === 'itemNotFound') throw FileErrors.itemNotFound();
      throw FileErrors.invalidRequest(err.message);
    }
    throw err;
  }
}

export function itemEntity(call: GraphCall, ctx: DriveContext, item: StoredDriveItem, status = 200): GraphResult {
  const expand = (call.option('$expand') ?? '').toLowerCase().split(',').map((s) => s.trim());
  return entityResponse(call, itemJson(call, ctx.drive, item, expand.includes('children')), {
    schema: DRIVE_ITEM_SCHEMA,
    context: driveContextUrl(call, ctx, 'items/$entity'),
    alwaysSelected: ['id'],
    status,
  });
}

const get: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesRead);
  return itemEntity(call, ctx, resolveItem(ctx, call.match.item!));
};

const children: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesRead);
  const folder = resolveItem(ctx, call.match.item!);
  if (folder.kind !== 'folder') throw FileErrors.invalidRequest('The item is not a folder.');
  const items = ctx.drive
    .children(folder.id)
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }))
    .map((c) => itemJson(call, ctx.drive, c));
  return collectionResponse(call, items, {
    schema: DRIVE_ITEM_SCHEMA,
    context: driveContextUrl(call, ctx, `items('${folder.id}')/children`),
    defaultPageSize: 200,
    maxTop: 1000,
    paging: 'skiptoken',
    alwaysSelected: ['id'],
  });
};

const createFolder: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesWrite);
  const parent = resolveItem(ctx, call.match.item!);
  if (parent.kind !== 'folder') throw FileErrors.invalidRequest('Items can only be created in a folder.');
  const o = call.json();
  const name = optionalString(o, 'name', 'driveItem');
  if (!name) throw FileErrors.invalidRequest("The 'name' property is required.");
  if (typeof o.folder !== 'object' || o.folder === null) {
    throw FileErrors.invalidRequest('Only folders can be created with POST children; upload files with PUT .../content.');
  }
  const conflict: ConflictBehavior = conflictBehavior(call, o, 'fail');
  const folder = driveErrors(() => ctx.drive.createFolder(parent, name, ctx.by, conflict));
  if (typeof o.description === 'string') folder.description = o.description;
  return itemEntity(call, ctx, folder, 201);
};

function targetParent(call: GraphCall, ctx: DriveContext, ref: Json): StoredDriveItem {
  if (ref.driveId !== undefined && ref.driveId !== ctx.drive.id) {
    throw new GraphError(400, 'invalidRequest', 'Moving items between drives is not supported by PATCH; use copy.');
  }
  if (typeof ref.id === 'string') {
    const parent = ctx.drive.item(ref.id);
    if (!parent) throw FileErrors.itemNotFound();
    return parent;
  }
  if (typeof ref.path === 'string') {
    const path = ref.path.replace(/^\/?(drive|drives\/[^/]+)\/root:?/i, '').split('/').filter(Boolean).map(decodeURIComponent);
    const parent = ctx.drive.resolve(ctx.drive.root(), path);
    if (!parent) throw FileErrors.itemNotFound();
    return parent;
  }
  throw FileErrors.invalidRequest('parentReference needs an id or a path.');
}

const update: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesWrite);
  const item = resolveItem(ctx, call.match.item!);
  checkIfMatch(call, item);
  const o = call.json();
  const change: { name?: string; parent?: StoredDriveItem; description?: string } = {};
  const name = optionalString(o, 'name', 'driveItem');
  if (name !== undefined) change.name = name;
  const description = optionalString(o, 'description', 'driveItem');
  if (description !== undefined) change.description = description;
  if (o.parentReference !== undefined) {
    if (typeof o.parentReference !== 'object' || o.parentReference === null) throw FileErrors.invalidRequest('parentReference must be an object.');
    const parent = targetParent(call, ctx, o.parentReference as Json);
    if (parent.kind !== 'folder') throw FileErrors.invalidRequest('The new parent is not a folder.');
    change.parent = parent;
  }
  driveErrors(() => ctx.drive.update(item, change, ctx.by, conflictBehavior(call, o, 'fail')));
  return itemEntity(call, ctx, item);
};

const remove: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesWrite);
  const item = resolveItem(ctx, call.match.item!);
  if (item.parentId === null) throw FileErrors.invalidRequest('The root folder cannot be deleted.');
  checkIfMatch(call, item);
  ctx.drive.delete(item);
  return { status: 204 };
};

/** `search(q='...')`: items below the folder whose name contains the text (OneDrive also searches content; the emulator does not). */
const search: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesRead);
  const folder = resolveItem(ctx, call.match.item!);
  const q = (call.match.args.search?.q ?? '').toLowerCase();
  const found: StoredDriveItem[] = [];
  const walk = (f: StoredDriveItem) => {
    for (const c of ctx.drive.children(f.id)) {
      if (c.name.toLowerCase().includes(q)) found.push(c);
      if (c.kind === 'folder') walk(c);
    }
  };
  walk(folder);
  return collectionResponse(call, found.map((i) => itemJson(call, ctx.drive, i)), {
    schema: DRIVE_ITEM_SCHEMA,
    context: `${call.metadata}#Collection(driveItem)`,
    defaultPageSize: 200,
    maxTop: 1000,
    paging: 'skiptoken',
    alwaysSelected: ['id'],
  });
};

export const ITEM_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{drive}/{item}/search', methods: { GET: search } },
  { pattern: '{drive}/{item}/children', methods: { GET: children, POST: createFolder } },
  { pattern: '{drive}/{item}', methods: { GET: get, PATCH: update, DELETE: remove } },
];
