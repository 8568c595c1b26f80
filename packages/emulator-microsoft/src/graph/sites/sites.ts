/**
 * Sites and lists: `/sites/root`, `/sites/{id}`, `/sites/{hostname}:/{path}`, `/sites?search=`,
 * a site's lists (by id, name or display name), a list's columns, and creating a list (201).
 */
import { readColumn } from '../../data/sites/lists.ts';
import type { StoredList, StoredSite } from '../../data/sites/model.ts';
import { optionalString, type Json } from '../../input.ts';
import { requireFiles, RULES } from '../access.ts';
import type { GraphCall, GraphHandler } from '../call.ts';
import { actingIdentity } from '../files/drive-access.ts';
import { FileErrors } from '../files/errors.ts';
import { collectionResponse, entityResponse } from '../odata/collection.ts';
import type { Route } from '../router/match.ts';
import { COLUMN_SCHEMA, LIST_SCHEMA, SITE_SCHEMA } from './schema.ts';
import { columnJson, listJson, siteJson } from './serialize.ts';
import { openSite } from './site-access.ts';

/** By id, URL name or display name, case-insensitively, as Graph accepts either for lists. */
export function findList(site: StoredSite, ref: string): StoredList {
  const lower = ref.toLowerCase();
  const list = [...site.lists.values()].find((l) => l.id.toLowerCase() === lower || l.name.toLowerCase() === lower || l.displayName.toLowerCase() === lower);
  if (!list) throw FileErrors.listNotFound();
  return list;
}

const expands = (call: GraphCall) => (call.option('$expand') ?? '').toLowerCase();

const getSite: GraphHandler = (call) => {
  const site = openSite(call, RULES.sitesRead);
  return entityResponse(call, siteJson(call.store, site), { schema: SITE_SCHEMA, context: `${call.metadata}#sites/$entity`, alwaysSelected: ['id'] });
};

/** `GET /sites?search=...` (Graph's site search; `*` lists every site). */
const searchSites: GraphHandler = (call) => {
  requireFiles(call.principal, RULES.sitesRead, false);
  if (call.option('$search') === undefined) throw FileErrors.invalidRequest("Listing sites requires the 'search' query parameter (use search=* for all).");
  const sites = call.store.sitesOf(call.principal.tenantId).map((s) => siteJson(call.store, s));
  return collectionResponse(call, sites, {
    schema: SITE_SCHEMA,
    context: `${call.metadata}#sites`,
    defaultPageSize: 200,
    maxTop: 1000,
    paging: 'skiptoken',
    alwaysSelected: ['id'],
    search: (e, text) => {
      const term = text.toLowerCase();
      return term === '*' || term === '' || [e.displayName, e.name, e.description].some((v) => typeof v === 'string' && v.toLowerCase().includes(term));
    },
  });
};

const lists: GraphHandler = (call) => {
  const site = openSite(call, RULES.sitesRead);
  const columns = expands(call).includes('columns');
  const items = [...site.lists.values()].map((l) => listJson(call.store, site, l, columns));
  return collectionResponse(call, items, { schema: LIST_SCHEMA, context: `${call.metadata}#sites('${site.id}')/lists`, defaultPageSize: 200, maxTop: 1000, paging: 'skiptoken', alwaysSelected: ['id'] });
};

const getList: GraphHandler = (call) => {
  const site = openSite(call, RULES.sitesRead);
  const list = findList(site, call.param('list'));
  return entityResponse(call, listJson(call.store, site, list, expands(call).includes('columns')), { schema: LIST_SCHEMA, context: `${call.metadata}#sites('${site.id}')/lists/$entity`, alwaysSelected: ['id'] });
};

const createList: GraphHandler = (call) => {
  const site = openSite(call, RULES.sitesManage);
  const o = call.json();
  const displayName = optionalString(o, 'displayName', 'list');
  if (!displayName) throw FileErrors.invalidRequest("The 'displayName' property is required.");
  if ([...site.lists.values()].some((l) => l.displayName.toLowerCase() === displayName.toLowerCase())) throw FileErrors.nameAlreadyExists(`A list named '${displayName}' already exists.`);
  const columnsIn = Array.isArray(o.columns) ? o.columns : [];
  // Graph describes a column by a type facet: { name, text: {} } / { name, number: {} } / ...
  const columns = columnsIn.map((c: unknown, i: number) => {
    const col = (c ?? {}) as Json;
    const facet = ['text', 'number', 'boolean', 'dateTime', 'choice', 'currency'].find((f) => col[f] !== undefined) ?? 'text';
    const choices = facet === 'choice' ? ((col.choice as Json | undefined)?.choices as unknown) : undefined;
    return readColumn({ name: col.name, displayName: col.displayName, type: facet, required: col.required, indexed: col.indexed, ...(choices ? { choices } : {}) }, `list.columns[${i}]`);
  });
  const list = call.store.lists(site.tenantId).createList(site, { name: displayName.replace(/\s+/g, ''), displayName, description: optionalString(o, 'description', 'list') ?? '', columns }, actingIdentity(call));
  return entityResponse(call, listJson(call.store, site, list), { schema: LIST_SCHEMA, context: `${call.metadata}#sites('${site.id}')/lists/$entity`, alwaysSelected: ['id'], status: 201 });
};

const columns: GraphHandler = (call) => {
  const site = openSite(call, RULES.sitesRead);
  const list = findList(site, call.param('list'));
  return collectionResponse(call, list.columns.map(columnJson), { schema: COLUMN_SCHEMA, context: `${call.metadata}#sites('${site.id}')/lists('${list.id}')/columns`, defaultPageSize: 200, maxTop: 1000, paging: 'skiptoken' });
};

export const SITE_ROUTES: Route<GraphHandler>[] = [
  { pattern: 'sites', methods: { GET: searchSites } },
  { pattern: '{site}', methods: { GET: getSite } },
  { pattern: '{site}/lists', methods: { GET: lists, POST: createList } },
  { pattern: '{site}/lists/:list/columns', methods: { GET: columns } },
  { pattern: '{site}/lists/:list', methods: { GET: getList } },
];
