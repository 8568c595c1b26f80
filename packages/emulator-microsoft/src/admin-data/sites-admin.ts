/**
 * SharePoint data for tests: sites (with their document library), lists with typed columns, and
 * list items. Sites are named by id or URL; lists by id, name or display name.
 */
import { readColumn, readFields } from '../data/sites/lists.ts';
import type { StoredList, StoredSite } from '../data/sites/model.ts';
import { guid } from '../data/ids.ts';
import { listItemJson, listJson, siteJson } from '../graph/sites/serialize.ts';
import { requireTenant } from '../directory.ts';
import { InputError, NotFoundError, object, optionalString, type Json } from '../input.ts';
import type { Identity } from '../data/files/model.ts';
import { findSiteByRef } from './files-admin.ts';
import type { AdminScope } from './scope.ts';

export interface ColumnInput {
  name: string;
  displayName?: string;
  type?: 'text' | 'note' | 'number' | 'currency' | 'boolean' | 'dateTime' | 'choice';
  required?: boolean;
  /** Indexed columns can be filtered without the HonorNonIndexedQueriesWarningMayFailRandomly preference. */
  indexed?: boolean;
  choices?: string[];
}

export interface ListInput {
  displayName: string;
  /** URL name; defaults to the display name without spaces. */
  name?: string;
  description?: string;
  columns?: ColumnInput[];
  /** A fixed GUID. */
  id?: string;
  /** Items to add: column values by name. */
  items?: Record<string, unknown>[];
}

export interface SiteInput {
  /** Server-relative path: `/sites/Marketing`. */
  path: string;
  displayName: string;
  name?: string;
  description?: string;
  lists?: ListInput[];
}

const SYSTEM: Identity = { kind: 'user', id: '', displayName: 'System Account' };

export class SitesAdmin {
  constructor(private readonly scope: AdminScope) {}

  site(ref: string): StoredSite {
    return findSiteByRef(this.scope, ref);
  }

  private list(site: StoredSite, ref: string): StoredList {
    const lower = ref.toLowerCase();
    const list = [...site.lists.values()].find((l) => l.id === lower || l.name.toLowerCase() === lower || l.displayName.toLowerCase() === lower);
    if (!list) throw new NotFoundError(`no list '${ref}' in site ${site.displayName}`);
    return list;
  }

  /** Adds a site to a tenant (its root site always exists). */
  add(tenant: string, input: SiteInput): Json {
    const o = object(input, 'site');
    const t = requireTenant(this.scope.ctx.state, tenant);
    if (t.kind === 'consumer') throw new InputError('personal accounts have no SharePoint sites');
    const path = optionalString(o, 'path', 'site');
    if (!path || !/^\/sites\/[\w.-]+$/i.test(path)) throw new InputError("site.path must look like '/sites/Name'");
    if (this.scope.store.site(t.id, { hostname: this.scope.store.sharePointHost(t.id), path: path.split('/').filter(Boolean) })) throw new InputError(`a site already exists at ${path}`, 409, 'conflict');
    const displayName = optionalString(o, 'displayName', 'site');
    if (!displayName) throw new InputError('site.displayName is required');
    const site = this.scope.store.addSite(t.id, { path, name: optionalString(o, 'name', 'site') ?? path.split('/').pop()!, displayName, description: optionalString(o, 'description', 'site') ?? '' });
    for (const l of Array.isArray(o.lists) ? o.lists : []) this.addList(site.id, l as ListInput);
    return siteJson(this.scope.store, site);
  }

  /** The sites of a tenant (the root site included). */
  sites(tenant: string): Json[] {
    const t = requireTenant(this.scope.ctx.state, tenant);
    return this.scope.store.sitesOf(t.id).map((s) => siteJson(this.scope.store, s));
  }

  lists(site: string): Json[] {
    const s = this.site(site);
    return [...s.lists.values()].map((l) => listJson(this.scope.store, s, l, true));
  }

  addList(site: string, input: ListInput): Json {
    const s = this.site(site);
    const o = object(input, 'list');
    const displayName = optionalString(o, 'displayName', 'list');
    if (!displayName) throw new InputError('list.displayName is required');
    if ([...s.lists.values()].some((l) => l.displayName.toLowerCase() === displayName.toLowerCase())) throw new InputError(`a list '${displayName}' already exists`, 409, 'conflict');
    const id = optionalString(o, 'id', 'list');
    if (id !== undefined && !/^[0-9a-f-]{36}$/i.test(id)) throw new InputError('list.id must be a GUID');
    const columns = (Array.isArray(o.columns) ? o.columns : []).map((c, i) => readColumn(c, `list.columns[${i}]`));
    const editor = this.scope.store.lists(s.tenantId);
    const list = editor.createList(s, { name: optionalString(o, 'name', 'list') ?? displayName.replace(/\s+/g, ''), displayName, description: optionalString(o, 'description', 'list') ?? '', columns, id: (id ?? guid()).toLowerCase() }, SYSTEM);
    for (const [i, fields] of (Array.isArray(o.items) ? o.items : []).entries()) editor.addItem(list, readFields(list, fields, `list.items[${i}]`), SYSTEM);
    return listJson(this.scope.store, s, list, true);
  }

  items(site: string, list: string): Json[] {
    const s = this.site(site);
    const l = this.list(s, list);
    return [...l.items.values()].map((i) => listItemJson(this.scope.store, s, l, i, {}));
  }

  addItem(site: string, list: string, fields: Record<string, unknown>): Json {
    const s = this.site(site);
    const l = this.list(s, list);
    const item = this.scope.store.lists(s.tenantId).addItem(l, readFields(l, fields, 'fields'), SYSTEM);
    return listItemJson(this.scope.store, s, l, item, {});
  }

  updateItem(site: string, list: string, id: string, fields: Record<string, unknown>): Json {
    const s = this.site(site);
    const l = this.list(s, list);
    const item = l.items.get(String(id));
    if (!item) throw new NotFoundError(`no item ${id} in list ${l.displayName}`);
    this.scope.store.lists(s.tenantId).updateItem(l, item, readFields(l, fields, 'fields'), SYSTEM);
    return listItemJson(this.scope.store, s, l, item, {});
  }

  removeItem(site: string, list: string, id: string): void {
    const s = this.site(site);
    const l = this.list(s, list);
    const item = l.items.get(String(id));
    if (!item) throw new NotFoundError(`no item ${id} in list ${l.displayName}`);
    this.scope.store.lists(s.tenantId).deleteItem(l, item);
  }
}
