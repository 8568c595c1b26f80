/**
 * Drive data for tests: files, folders and Excel workbooks in a user's OneDrive or a site's
 * document library. Items are named by path (`/Projects/Plan.txt`, `/` for the root) or by id.
 * Workbooks are given as grids — `{worksheets: [{name, values: [[...]]}], tables: [...]}` — and
 * become `.xlsx` items whose workbook API works like Excel Online's.
 */
import { AddressError, parseAddress } from '../data/files/a1.ts';
import { Drive, DriveError, isXlsx } from '../data/files/drive.ts';
import type { Identity, StoredDriveItem } from '../data/files/model.ts';
import { Workbook, WorkbookError } from '../data/files/workbook.ts';
import { itemJson } from '../graph/files/serialize.ts';
import { InputError, NotFoundError, object, optionalBoolean, optionalString, type Json } from '../input.ts';
import type { AdminScope } from './scope.ts';

/** A user (id or userPrincipalName), or `{site}` (a site id or URL) for its document library. */
export type DriveOwnerRef = string | { user: string } | { site: string };

export interface WorkbookInput {
  /** Worksheets in order; values start at A1. A string starting with `=` is a formula. */
  worksheets?: { name: string; values?: unknown[][] }[];
  /** Tables over ranges of those sheets; `hasHeaders` (default true) takes the first row as column names. */
  tables?: { name?: string; worksheet?: string; address: string; hasHeaders?: boolean }[];
}

export type ContentInput = string | Uint8Array | { base64: string };

const SYSTEM: Identity = { kind: 'user', id: '', displayName: 'System Account' };

function bytesOf(content: ContentInput, path: string): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (content instanceof Uint8Array) return Buffer.from(content);
  if (content && typeof (content as { base64?: unknown }).base64 === 'string') return Buffer.from((content as { base64: string }).base64, 'base64');
  throw new InputError(`${path} must be a string, bytes or {base64}`);
}

function splitPath(path: string): string[] {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new InputError(`path '${path}' must start with '/'`);
  return path.split('/').filter(Boolean);
}

export class FilesAdmin {
  constructor(private readonly scope: AdminScope) {}

  /** The drive of a user or site (created on first use for users). */
  drive(owner: DriveOwnerRef): Drive {
    if (typeof owner === 'string') return this.scope.store.userDrive(this.scope.user(owner, 'owner'));
    const o = object(owner, 'owner');
    const user = optionalString(o, 'user', 'owner');
    if (user) return this.scope.store.userDrive(this.scope.user(user, 'owner.user'));
    const siteRef = optionalString(o, 'site', 'owner');
    if (!siteRef) throw new InputError('owner must be a user reference, {user} or {site}');
    const site = findSiteByRef(this.scope, siteRef);
    return this.scope.store.drives.get(site.driveId)!;
  }

  private view(drive: Drive, item: StoredDriveItem): Json {
    return { ...itemJson(this.scope, drive, item), path: `/${drive.pathSegments(item).join('/')}` };
  }

  private find(drive: Drive, ref: string): StoredDriveItem {
    const item = ref.startsWith('/') ? drive.resolve(drive.root(), splitPath(ref)) : drive.item(ref);
    if (!item) throw new NotFoundError(`no drive item '${ref}'`);
    return item;
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof DriveError) throw new InputError(err.message, err.code === 'nameAlreadyExists' ? 409 : 400, err.code === 'nameAlreadyExists' ? 'conflict' : 'invalid_input');
      if (err instanceof AddressError) throw new InputError(err.message);
      if (err instanceof WorkbookError) throw new InputError(err.message, err.kind === 'conflict' ? 409 : 400, err.kind === 'conflict' ? 'conflict' : 'invalid_input');
      throw err;
    }
  }

  /** Creates or replaces a file; missing folders on the path are created. `id` fixes a new file's id. */
  put(owner: DriveOwnerRef, path: string, content: ContentInput, options: { id?: string } = {}): Json {
    const drive = this.drive(owner);
    const parts = splitPath(path);
    if (parts.length === 0) throw new InputError('path must name a file');
    return this.guard(() => {
      const parent = drive.ensureFolders(parts.slice(0, -1), SYSTEM);
      const { item } = drive.putFile(parent, parts[parts.length - 1]!, bytesOf(content, 'content'), SYSTEM, 'replace', undefined, options.id);
      return this.view(drive, item);
    });
  }

  /** Creates a folder (and its parents) if missing. */
  mkdir(owner: DriveOwnerRef, path: string, options: { id?: string } = {}): Json {
    const drive = this.drive(owner);
    return this.guard(() => this.view(drive, drive.ensureFolders(splitPath(path), SYSTEM, options.id)));
  }

  /** A folder's children, or with `recursive` everything below it, each with its `path`. */
  list(owner: DriveOwnerRef, options: { path?: string; recursive?: boolean } = {}): Json[] {
    const drive = this.drive(owner);
    const folder = this.find(drive, options.path ?? '/');
    const out: Json[] = [];
    const walk = (f: StoredDriveItem) => {
      for (const c of drive.children(f.id).sort((a, b) => a.name.localeCompare(b.name))) {
        out.push(this.view(drive, c));
        if (options.recursive && c.kind === 'folder') walk(c);
      }
    };
    walk(folder);
    return out;
  }

  get(owner: DriveOwnerRef, ref: string): Json {
    const drive = this.drive(owner);
    return this.view(drive, this.find(drive, ref));
  }

  read(owner: DriveOwnerRef, ref: string): Buffer {
    const drive = this.drive(owner);
    const item = this.find(drive, ref);
    if (item.kind !== 'file') throw new InputError(`'${ref}' is a folder`);
    return Buffer.from(item.content ?? Buffer.alloc(0));
  }

  remove(owner: DriveOwnerRef, ref: string): void {
    const drive = this.drive(owner);
    const item = this.find(drive, ref);
    if (item.parentId === null) throw new InputError('the root folder cannot be deleted');
    drive.delete(item);
  }

  /** Creates or replaces an `.xlsx` workbook from grids. */
  putWorkbook(owner: DriveOwnerRef, path: string, input: WorkbookInput = {}, options: { id?: string } = {}): Json {
    if (!isXlsx(path)) throw new InputError('a workbook path must end in .xlsx');
    const o = object(input, 'workbook');
    const drive = this.drive(owner);
    const wb = new Workbook();
    const sheets = Array.isArray(o.worksheets) && o.worksheets.length > 0 ? o.worksheets : [{ name: 'Sheet1' }];
    return this.guard(() => {
      sheets.forEach((s, i) => {
        const sheet = object(s, `workbook.worksheets[${i}]`);
        const ws = wb.addWorksheet(optionalString(sheet, 'name', `workbook.worksheets[${i}]`));
        const values = sheet.values;
        if (values !== undefined) {
          if (!Array.isArray(values) || values.some((r) => !Array.isArray(r))) throw new InputError(`workbook.worksheets[${i}].values must be a 2-D array`);
          const width = Math.max(1, ...values.map((r: unknown[]) => r.length));
          wb.write(ws, { r0: 0, c0: 0, r1: Math.max(0, values.length - 1), c1: width - 1 }, values as unknown[][]);
        }
      });
      for (const [i, t] of (Array.isArray(o.tables) ? o.tables : []).entries()) {
        const table = object(t, `workbook.tables[${i}]`);
        const address = optionalString(table, 'address', `workbook.tables[${i}]`);
        if (!address) throw new InputError(`workbook.tables[${i}].address is required`);
        const parsed = parseAddress(address);
        const ws = wb.worksheet(optionalString(table, 'worksheet', `workbook.tables[${i}]`) ?? parsed.sheet ?? wb.worksheets[0]!.name);
        if (!ws) throw new InputError(`workbook.tables[${i}].worksheet does not exist`);
        wb.addTable(ws, parsed, optionalBoolean(table, 'hasHeaders', `workbook.tables[${i}]`) ?? true, optionalString(table, 'name', `workbook.tables[${i}]`));
      }
      const parts = splitPath(path);
      const parent = drive.ensureFolders(parts.slice(0, -1), SYSTEM);
      const { item } = drive.putFile(parent, parts[parts.length - 1]!, Buffer.alloc(0), SYSTEM, 'replace', undefined, options.id);
      item.workbook = wb;
      drive.workbookChanged(item, SYSTEM);
      return this.view(drive, item);
    });
  }

  /** The grids of a workbook: each sheet's values (formulas as `=...`) and the tables. */
  workbook(owner: DriveOwnerRef, ref: string): Json {
    const drive = this.drive(owner);
    const item = this.find(drive, ref);
    if (!item.workbook) throw new InputError(`'${ref}' is not a workbook`);
    return item.workbook.toJSON() as unknown as Json;
  }
}

/** A site by id (composite or collection GUID) or URL (`https://contoso.sharepoint.com/sites/x`). */
export function findSiteByRef(scope: AdminScope, ref: string) {
  const store = scope.store;
  let site;
  if (/^https?:\/\//i.test(ref)) {
    const url = new URL(ref);
    for (const tenant of scope.ctx.state.tenants.values()) {
      site = store.site(tenant.id, { hostname: url.hostname, path: url.pathname.split('/').filter(Boolean) });
      if (site) break;
    }
  } else {
    const wanted = ref.toLowerCase();
    site = [...store.sites.values()].find((s) => s.id.toLowerCase() === wanted || s.siteCollectionId === wanted);
  }
  if (!site) throw new NotFoundError(`no site '${ref}'`);
  return site;
}
