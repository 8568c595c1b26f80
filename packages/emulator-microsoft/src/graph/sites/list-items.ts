/**
 * List items: list (`$expand=fields`, also `fields($select=...)`), get, create (`{fields}` →
 * 201), update (`PATCH items/{id}/fields` → the fieldValueSet; `PATCH items/{id}` with
 * `{fields}` too), delete (204). `$filter=fields/Col eq 'x'` works on indexed columns, or on any
 * column with `Prefer: HonorNonIndexedQueriesWarningMayFailRandomly`, as SharePoint requires.
 */
import { readFields, listColumn } from '../../data/sites/lists.ts';
import type { StoredList, StoredListItem, StoredSite } from '../../data/sites/model.ts';
import { RULES } from '../access.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { actingIdentity } from '../files/drive-access.ts';
import { FileErrors } from '../files/errors.ts';
import { collectionResponse, entityResponse, type Entity } from '../odata/collection.ts';
import type { Route } from '../router/match.ts';
import { LIST_ITEM_SCHEMA } from './schema.ts';
import { fieldsJson, listItemJson } from './serialize.ts';
import { openSite } from './site-access.ts';
import { findList } from './sites.ts';

/** `fields` or `fields($select=Title,Status)` in $expand → whether and which fields. */
function fieldsExpansion(call: GraphCall): { select?: string[] } | undefined {
  const expand = call.option('$expand');
  if (!expand) return undefined;
  const m = /(^|,)\s*fields\s*(\(\s*\$?select\s*=\s*([^)]*)\))?/i.exec(expand);
  if (!m) return undefined;
  return m[3] ? { select: m[3].split(',').map((s) => s.trim()).filter(Boolean) } : {};
}

function open(call: GraphCall, rule = RULES.sitesRead): { site: StoredSite; list: StoredList } {
  const site = openSite(call, rule);
  return { site, list: findList(site, call.param('list')) };
}

function getItem(list: StoredList, id: string): StoredListItem {
  const item = list.items.get(id);
  if (!item) throw FileErrors.itemNotFound();
  return item;
}

function itemEntity(call: GraphCall, site: StoredSite, list: StoredList, item: StoredListItem, status = 200, withFields = false): GraphResult {
  const fields = fieldsExpansion(call) ?? (withFields ? {} : undefined);
  return entityResponse(call, listItemJson(call.store, site, list, item, fields), {
    schema: LIST_ITEM_SCHEMA,
    context: `${call.metadata}#sites('${site.id}')/lists('${list.id}')/items/$entity`,
    alwaysSelected: ['@odata.etag', 'id'],
    status,
  });
}

const honorNonIndexed = (call: GraphCall) => call.prefer.has('honornonindexedquerieswarningmayfailrandomly');

const list: GraphHandler = (call) => {
  const { site, list } = open(call);
  const fields = fieldsExpansion(call);
  // Filters may test fields even when they are not expanded, so every item carries them here.
  const items = [...list.items.values()].map((i) => listItemJson(call.store, site, list, i, {}));
  if (honorNonIndexed(call)) call.apply('HonorNonIndexedQueriesWarningMayFailRandomly');
  const result = collectionResponse(call, items, {
    schema: LIST_ITEM_SCHEMA,
    context: `${call.metadata}#sites('${site.id}')/lists('${list.id}')/items`,
    defaultPageSize: 200,
    maxTop: 5000,
    paging: 'skiptoken',
    alwaysSelected: ['@odata.etag', 'id'],
    checkFilter: (paths) => {
      for (const p of paths) {
        const [head, name] = p.split('/');
        if (head !== 'fields' || !name) continue;
        const column = listColumn(list, name);
        if (column && !column.indexed && !honorNonIndexed(call)) {
          throw FileErrors.invalidRequest(
            `Field '${column.name}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may fail on large lists.`,
          );
        }
      }
    },
  });
  for (const e of (result.body as { value: Entity[] }).value) {
    if (!fields) delete e.fields;
    else if (fields.select) e.fields = fieldsJson(list, list.items.get(String(e.id))!, fields.select);
  }
  return result;
};

const create: GraphHandler = (call) => {
  const { site, list } = open(call, RULES.sitesWrite);
  if (list.template !== 'genericList') throw FileErrors.invalidRequest('Items of a document library are files; upload them through the drive.');
  const o = call.json();
  const fields = readFields(list, o.fields ?? {}, 'fields');
  const item = call.store.lists(site.tenantId).addItem(list, fields, actingIdentity(call));
  return itemEntity(call, site, list, item, 201, true);
};

const get: GraphHandler = (call) => {
  const { site, list } = open(call);
  return itemEntity(call, site, list, getItem(list, call.param('itemId')));
};

const update: GraphHandler = (call) => {
  const { site, list } = open(call, RULES.sitesWrite);
  const item = getItem(list, call.param('itemId'));
  const fields = readFields(list, call.json().fields ?? {}, 'fields');
  call.store.lists(site.tenantId).updateItem(list, item, fields, actingIdentity(call));
  return itemEntity(call, site, list, item, 200, true);
};

const getFields: GraphHandler = (call) => {
  const { site, list } = open(call);
  const item = getItem(list, call.param('itemId'));
  return { status: 200, body: { '@odata.context': `${call.metadata}#sites('${site.id}')/lists('${list.id}')/items('${item.id}')/fields/$entity`, ...fieldsJson(list, item) } };
};

const patchFields: GraphHandler = (call) => {
  const { site, list } = open(call, RULES.sitesWrite);
  const item = getItem(list, call.param('itemId'));
  const fields = readFields(list, call.json(), 'fields');
  call.store.lists(site.tenantId).updateItem(list, item, fields, actingIdentity(call));
  return { status: 200, body: { '@odata.context': `${call.metadata}#sites('${site.id}')/lists('${list.id}')/items('${item.id}')/fields/$entity`, ...fieldsJson(list, item) } };
};

const remove: GraphHandler = (call) => {
  const { site, list } = open(call, RULES.sitesWrite);
  call.store.lists(site.tenantId).deleteItem(list, getItem(list, call.param('itemId')));
  return { status: 204 };
};

export const LIST_ITEM_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{site}/lists/:list/items', methods: { GET: list, POST: create } },
  { pattern: '{site}/lists/:list/items/:itemId/fields', methods: { GET: getFields, PATCH: patchFields } },
  { pattern: '{site}/lists/:list/items/:itemId', methods: { GET: get, PATCH: update, DELETE: remove } },
];
