/**
 * One drive (a user's OneDrive or a site's document library): a tree of folders and files with
 * OneDrive's rules — names are unique per folder, case-insensitively; a name clash is settled by
 * `@microsoft.graph.conflictBehavior` (fail, replace, rename → "name 1.ext"); replacing a file's
 * content keeps its id and bumps its versions. Workbooks ride on `.xlsx` items.
 */
import { driveItemId, guid } from '../ids.ts';
import { recordChange, type OwnerContext } from '../owner.ts';
import type { DriveRecord, Identity, StoredDriveItem } from './model.ts';
import { mimeTypeFor } from './mime-types.ts';
import { Workbook } from './workbook.ts';

export type ConflictBehavior = 'fail' | 'replace' | 'rename';

export class DriveError extends Error {
  constructor(
    readonly code: 'nameAlreadyExists' | 'invalidRequest' | 'itemNotFound',
    message: string,
  ) {
    super(message);
  }
}

/** Characters OneDrive for Business rejects in names. */
const INVALID_NAME = /["*:<>?/\\|]/;

export function isXlsx(name: string): boolean {
  return /\.xlsx$/i.test(name);
}

export class Drive {
  readonly items = new Map<string, StoredDriveItem>();

  constructor(
    readonly record: DriveRecord,
    readonly owner: OwnerContext,
    system: Identity,
  ) {
    const now = owner.now();
    this.items.set(record.rootId, {
      id: record.rootId,
      driveId: record.id,
      parentId: null,
      name: 'root',
      kind: 'folder',
      createdAt: now,
      modifiedAt: now,
      createdBy: system,
      modifiedBy: system,
      version: 1,
      contentVersion: 1,
      links: [],
      grants: [],
      uniqueId: guid([record.id, 'root']),
    });
  }

  get id(): string {
    return this.record.id;
  }

  root(): StoredDriveItem {
    return this.items.get(this.record.rootId)!;
  }

  item(id: string): StoredDriveItem | undefined {
    return this.items.get(id);
  }

  children(folderId: string): StoredDriveItem[] {
    return [...this.items.values()].filter((i) => i.parentId === folderId);
  }

  childByName(parentId: string, name: string): StoredDriveItem | undefined {
    const lower = name.toLowerCase();
    return [...this.items.values()].find((i) => i.parentId === parentId && i.name.toLowerCase() === lower);
  }

  /** Walks a path (already split) from an item; undefined when any step is missing. */
  resolve(from: StoredDriveItem, path: readonly string[]): StoredDriveItem | undefined {
    let current: StoredDriveItem | undefined = from;
    for (const part of path) {
      if (!current || current.kind !== 'folder') return undefined;
      if (part === '' || part === '.') continue;
      current = this.childByName(current.id, part);
    }
    return current;
  }

  /** Names from the root down to the item (empty for the root). */
  pathSegments(item: StoredDriveItem): string[] {
    const out: string[] = [];
    for (let i: StoredDriveItem | undefined = item; i && i.parentId !== null; i = i.parentId ? this.items.get(i.parentId) : undefined) out.unshift(i.name);
    return out;
  }

  isAncestor(ancestor: StoredDriveItem, item: StoredDriveItem): boolean {
    for (let i: StoredDriveItem | undefined = item; i; i = i.parentId ? this.items.get(i.parentId) : undefined) if (i.id === ancestor.id) return true;
    return false;
  }

  /** `name 1.ext`, `name 2.ext`, ...: OneDrive's rename behaviour. */
  uniqueName(parentId: string, name: string): string {
    if (!this.childByName(parentId, name)) return name;
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : '';
    for (let n = 1; ; n++) {
      const candidate = `${stem} ${n}${ext}`;
      if (!this.childByName(parentId, candidate)) return candidate;
    }
  }

  private checkName(name: string): void {
    if (!name || name.trim() === '' || INVALID_NAME.test(name) || name.endsWith('.')) {
      throw new DriveError('invalidRequest', `The provided name '${name}' contains invalid characters or is empty.`);
    }
  }

  private newItem(parent: StoredDriveItem, name: string, kind: 'folder' | 'file', by: Identity, fixedId?: string): StoredDriveItem {
    const now = this.owner.now();
    if (fixedId !== undefined && (!/^01[A-Z2-7]{32}$/.test(fixedId) || this.items.has(fixedId))) {
      throw new DriveError('invalidRequest', `'${fixedId}' is not an unused OneDrive item id (01 + 32 base32 characters).`);
    }
    const id = fixedId ?? driveItemId();
    return { id, driveId: this.id, parentId: parent.id, name, kind, createdAt: now, modifiedAt: now, createdBy: by, modifiedBy: by, version: 1, contentVersion: 1, links: [], grants: [], uniqueId: guid() };
  }

  private record_(change: 'created' | 'updated' | 'deleted', item: StoredDriveItem): void {
    recordChange(this.owner, change, 'driveItem', item.id, { ...(item.parentId ? { container: item.parentId } : {}), scope: this.id });
  }

  /** Settles a name clash; returns the name to use and the existing item a replace keeps. */
  private settle(parent: StoredDriveItem, name: string, conflict: ConflictBehavior): { name: string; existing?: StoredDriveItem } {
    const existing = this.childByName(parent.id, name);
    if (!existing) return { name };
    if (conflict === 'fail') throw new DriveError('nameAlreadyExists', 'The specified item name already exists.');
    if (conflict === 'rename') return { name: this.uniqueName(parent.id, name) };
    return { name: existing.name, existing };
  }

  createFolder(parent: StoredDriveItem, name: string, by: Identity, conflict: ConflictBehavior = 'fail', id?: string): StoredDriveItem {
    this.checkName(name);
    const settled = this.settle(parent, name, conflict);
    if (settled.existing) this.delete(settled.existing);
    const folder = this.newItem(parent, settled.name, 'folder', by, id);
    this.items.set(folder.id, folder);
    this.touchParent(parent);
    this.record_('created', folder);
    return folder;
  }

  /** Creates folders along a path as needed (admin convenience); `lastId` fixes the last one's id. */
  ensureFolders(path: readonly string[], by: Identity, lastId?: string): StoredDriveItem {
    let current = this.root();
    path.forEach((part, i) => {
      const next = this.childByName(current.id, part);
      if (next && next.kind !== 'folder') throw new DriveError('nameAlreadyExists', `'${part}' exists and is not a folder.`);
      current = next ?? this.createFolder(current, part, by, 'fail', i === path.length - 1 ? lastId : undefined);
    });
    return current;
  }

  /** Creates or replaces a file; `created` tells 201 from 200. */
  putFile(parent: StoredDriveItem, name: string, bytes: Buffer, by: Identity, conflict: ConflictBehavior = 'replace', mimeType?: string, id?: string): { item: StoredDriveItem; created: boolean } {
    this.checkName(name);
    const settled = this.settle(parent, name, conflict);
    if (settled.existing?.kind === 'file') return { item: this.replaceContent(settled.existing, bytes, by, mimeType), created: false };
    if (settled.existing) this.delete(settled.existing);
    const file = this.newItem(parent, settled.name, 'file', by, id);
    file.content = bytes;
    file.mimeType = mimeType ?? mimeTypeFor(settled.name);
    if (isXlsx(settled.name)) file.workbook = Workbook.empty();
    this.items.set(file.id, file);
    this.touchParent(parent);
    this.record_('created', file);
    return { item: file, created: true };
  }

  replaceContent(item: StoredDriveItem, bytes: Buffer, by: Identity, mimeType?: string): StoredDriveItem {
    item.content = bytes;
    if (mimeType) item.mimeType = mimeType;
    // New bytes of an xlsx are an unparsed workbook: the grid starts over.
    if (isXlsx(item.name)) item.workbook = Workbook.empty();
    this.bump(item, by, true);
    return item;
  }

  /** Records a metadata (and optionally content) change. */
  bump(item: StoredDriveItem, by: Identity, content = false): void {
    item.version++;
    if (content) item.contentVersion++;
    item.modifiedAt = this.owner.now();
    item.modifiedBy = by;
    this.record_('updated', item);
  }

  /** A workbook change rewrites the file's bytes from the grid. */
  workbookChanged(item: StoredDriveItem, by: Identity): void {
    item.content = Buffer.from(JSON.stringify({ emulatedWorkbook: item.workbook!.toJSON() }, null, 2));
    this.bump(item, by, true);
  }

  /** Rename and/or move (PATCH name / parentReference). Conflicts fail unless told otherwise. */
  update(item: StoredDriveItem, change: { name?: string; parent?: StoredDriveItem; description?: string }, by: Identity, conflict: ConflictBehavior = 'fail'): StoredDriveItem {
    if (item.parentId === null && (change.name !== undefined || change.parent)) throw new DriveError('invalidRequest', 'The root folder cannot be renamed or moved.');
    const parent = change.parent ?? this.items.get(item.parentId!)!;
    const name = change.name ?? item.name;
    if (change.parent && this.isAncestor(item, change.parent)) throw new DriveError('invalidRequest', 'An item cannot be moved into itself or one of its descendants.');
    if (change.name !== undefined) this.checkName(name);
    const clash = this.childByName(parent.id, name);
    let finalName = name;
    if (clash && clash.id !== item.id) {
      if (conflict === 'fail') throw new DriveError('nameAlreadyExists', 'The specified item name already exists.');
      if (conflict === 'rename') finalName = this.uniqueName(parent.id, name);
      else this.delete(clash);
    }
    const oldParent = this.items.get(item.parentId!)!;
    item.name = finalName;
    item.parentId = parent.id;
    if (change.description !== undefined) item.description = change.description;
    this.bump(item, by);
    if (oldParent.id !== parent.id) {
      this.touchParent(oldParent);
      this.touchParent(parent);
    }
    return item;
  }

  /** Deep copy under a parent (the copy action). */
  copy(item: StoredDriveItem, parent: StoredDriveItem, name: string, by: Identity, conflict: ConflictBehavior = 'fail'): StoredDriveItem {
    if (item.kind === 'folder' && this.isAncestor(item, parent)) throw new DriveError('invalidRequest', 'A folder cannot be copied into itself.');
    const settled = this.settle(parent, name, conflict);
    if (settled.existing) this.delete(settled.existing);
    const copy = this.newItem(parent, settled.name, item.kind, by);
    if (item.content) copy.content = Buffer.from(item.content);
    if (item.mimeType) copy.mimeType = item.mimeType;
    if (item.description !== undefined) copy.description = item.description;
    if (item.workbook) copy.workbook = cloneWorkbook(item.workbook);
    this.items.set(copy.id, copy);
    this.record_('created', copy);
    for (const child of this.children(item.id)) this.copy(child, copy, child.name, by, 'fail');
    this.touchParent(parent);
    return copy;
  }

  delete(item: StoredDriveItem): void {
    for (const child of this.children(item.id)) this.delete(child);
    this.items.delete(item.id);
    this.record_('deleted', item);
    const parent = item.parentId ? this.items.get(item.parentId) : undefined;
    if (parent) this.touchParent(parent);
  }

  /** Folder sizes are the sum of their files. */
  size(item: StoredDriveItem): number {
    if (item.kind === 'file') return item.content?.length ?? 0;
    return this.children(item.id).reduce((n, c) => n + this.size(c), 0);
  }

  private touchParent(parent: StoredDriveItem): void {
    parent.modifiedAt = this.owner.now();
    parent.version++;
  }
}

export function cloneWorkbook(wb: Workbook): Workbook {
  const copy = new Workbook();
  Object.assign(copy, structuredClone({ ...wb, worksheets: [], tables: [] }));
  for (const ws of wb.worksheets) copy.worksheets.push({ ...ws, cells: new Map([...ws.cells].map(([k, c]) => [k, { ...c }])) });
  for (const t of wb.tables) copy.tables.push({ ...t, rect: { ...t.rect } });
  return copy;
}
