/**
 * Answering a collection GET the way Graph does: $filter, $search, $orderby (with Outlook's
 * InefficientFilter rule when the service has it), $count, then one page — $top, $skip or
 * $skiptoken, `Prefer: odata.maxpagesize` — with `@odata.nextLink` pointing back at the host
 * the client used, and $select applied last. Entities come in as their full Graph JSON, so
 * filters can test any property whether or not it is selected.
 */
import type { GraphCall, GraphResult } from '../call.ts';
import { GraphError, GraphErrors } from '../errors.ts';
import { bindFilter, filterProperties } from './filter-bind.ts';
import { evaluateFilter } from './filter-eval.ts';
import { FilterSyntaxError } from './filter-lexer.ts';
import { parseFilter } from './filter-parser.ts';
import { orderComparator, parseOrderBy } from './orderby.ts';
import type { EntitySchema } from './schema.ts';
import { parseSelect, project } from './select.ts';

export type Entity = Record<string, unknown>;

export interface CollectionOptions {
  schema: EntitySchema;
  /** `@odata.context` without the `(select)` projection, e.g. `.../$metadata#users('id')/messages`. */
  context: string;
  defaultPageSize: number;
  maxTop: number;
  /** Outlook pages with $skip; OneDrive and SharePoint with an opaque $skiptoken. */
  paging: 'skip' | 'skiptoken';
  /** Outlook: properties in $orderby must lead $filter, else InefficientFilter. */
  inefficientFilterRule?: boolean;
  /** Supports $search; matches one entity against the search text. */
  search?: (entity: Entity, text: string) => boolean;
  /** Properties $select never drops (Outlook keeps `@odata.etag` and `id`). */
  alwaysSelected?: readonly string[];
  /** Narrows $filter before it runs (SharePoint's indexed-column rule); throws to refuse. */
  checkFilter?: (propertyPaths: string[]) => void;
}

const inefficient = () => new GraphError(400, 'InefficientFilter', 'The restriction or sort order is too complex for this operation.');

function integer(call: GraphCall, option: string, min: number, max: number): number | undefined {
  const raw = call.option(option);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) throw GraphErrors.invalidQueryValue(option, raw);
  return n;
}

function decodeSkipToken(token: string): number {
  const n = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
  if (!Number.isInteger(n) || n < 0) throw GraphErrors.invalidQueryValue('$skiptoken', token);
  return n;
}

/** The same request URL with the paging option replaced: what the client follows verbatim. */
function nextLink(call: GraphCall, paging: 'skip' | 'skiptoken', offset: number): string {
  const search = call.req.url.includes('?') ? call.req.url.slice(call.req.url.indexOf('?') + 1) : '';
  const params = new URLSearchParams(search);
  for (const key of [...params.keys()]) if (/^\$?(skip|skiptoken)$/i.test(key)) params.delete(key);
  if (paging === 'skip') params.set('$skip', String(offset));
  else params.set('$skiptoken', Buffer.from(`offset:${offset}`).toString('base64url'));
  return `${call.origin}${call.path}?${params.toString().replace(/\+/g, '%20')}`;
}

export function filterEntities(call: GraphCall, entities: Entity[], o: CollectionOptions): Entity[] {
  const filterText = call.option('$filter');
  // An empty $filter (a client template left blank) filters nothing.
  if (filterText === undefined || filterText.trim() === '') return entities;
  try {
    const bound = bindFilter(parseFilter(filterText), o.schema);
    o.checkFilter?.(filterProperties(bound));
    return entities.filter((e) => evaluateFilter(bound, e));
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw GraphErrors.invalidFilter(err.message);
    throw err;
  }
}

export function collectionResponse(call: GraphCall, entities: Entity[], o: CollectionOptions): GraphResult {
  let items = filterEntities(call, entities, o);

  const searchText = call.option('$search');
  if (searchText !== undefined && searchText.trim() !== '') {
    if (!o.search) throw GraphErrors.badRequest('This request does not support the $search query option.');
    const text = searchText.trim().replace(/^"(.*)"$/, '$1');
    items = items.filter((e) => o.search!(e, text));
  }

  const orderText = call.option('$orderby');
  if (orderText !== undefined && orderText.trim() !== '') {
    const terms = parseOrderBy(orderText, o.schema);
    const filterText = call.option('$filter');
    if (o.inefficientFilterRule && filterText !== undefined && filterText.trim() !== '') {
      const inFilter = filterProperties(bindFilter(parseFilter(filterText), o.schema));
      const ordered = terms.map((t) => t.names.join('/').toLowerCase());
      if (ordered.some((p, i) => inFilter[i] !== p)) throw inefficient();
    }
    items = [...items].sort(orderComparator(terms));
  }

  const count = call.option('$count');
  if (count !== undefined && !/^(true|false)$/i.test(count)) throw GraphErrors.invalidQueryValue('$count', count);
  const total = items.length;

  const top = integer(call, '$top', 1, o.maxTop);
  const skip = integer(call, '$skip', 0, Number.MAX_SAFE_INTEGER);
  const skipToken = call.option('$skiptoken');
  const offset = skipToken !== undefined ? decodeSkipToken(skipToken) : (skip ?? 0);
  const preferred = Number(call.prefer.get('odata.maxpagesize'));
  const maxPage = Number.isInteger(preferred) && preferred > 0 ? preferred : undefined;
  if (maxPage !== undefined) call.apply(`odata.maxpagesize=${maxPage}`);
  const pageSize = Math.min(top ?? Infinity, maxPage ?? Infinity, top === undefined && maxPage === undefined ? o.defaultPageSize : Infinity);
  const page = items.slice(offset, offset + pageSize);
  const more = offset + pageSize < items.length;

  const select = parseSelect(call.option('$select'), o.schema);
  const body: Record<string, unknown> = { '@odata.context': `${o.context}${select ? `(${select.join(',')})` : ''}` };
  if (count !== undefined && count.toLowerCase() === 'true') body['@odata.count'] = total;
  body.value = page.map((e) => project(e, select, o.alwaysSelected ?? []));
  if (more) body['@odata.nextLink'] = nextLink(call, o.paging, offset + pageSize);
  return { status: 200, body };
}

/** A single entity with $select applied and its `@odata.context`. */
export function entityResponse(call: GraphCall, entity: Entity, o: { schema: EntitySchema; context: string; alwaysSelected?: readonly string[]; status?: number }): GraphResult {
  const select = parseSelect(call.option('$select'), o.schema);
  const context = select ? `${o.context.replace(/\/\$entity$/, '')}(${select.join(',')})/$entity` : o.context;
  return { status: o.status ?? 200, body: { '@odata.context': context, ...project(entity, select, o.alwaysSelected ?? []) } };
}
