import { createHash } from 'node:crypto';
import { type PaginationDefinition, readPointer } from '@switchboard/catalog';
import type { VendorRequest, VendorResponse } from '../outbound/vendor-call.ts';
import { nextLinkFromHeader } from './links.ts';

/** Pages fetched when a definition sets no maxPages: enough for real lists, a stop for runaway ones. */
export const DEFAULT_MAX_PAGES = 100;

export type TruncationReason = 'max-records' | 'max-pages' | 'repeated-cursor' | 'identical-page' | 'foreign-next-link';

/** Why the records stop short of everything the vendor has. Paging never fails a call: it stops and says so. */
export interface Truncation {
  reason: TruncationReason;
  message: string;
}

export type PagedResult =
  /** The first response had no records array: not a list, the body is the result. */
  | { kind: 'single'; response: VendorResponse; pages: 1 }
  | { kind: 'records'; records: unknown[]; last: VendorResponse; pages: number; truncated?: Truncation };

export interface PagingOptions {
  send(request: VendorRequest): Promise<VendorResponse>;
  /** Stop once this many records are in hand (the maxRecords input). */
  maxRecords?: number | undefined;
  /** A next link on another origin is not followed; this maps one on the base origin to the URL to send. */
  follow(url: URL): URL | undefined;
}

/**
 * Fetches a list page by page as the pagination definition says (cursor, link, offset, page),
 * concatenating the records at recordsPath. Guards: maxPages, a cursor or link seen before,
 * a page identical to an earlier one, and maxRecords. Each stops paging and is reported as the
 * truncation reason rather than failing, so the records already fetched are not lost.
 */
export async function fetchPages(first: VendorRequest, pagination: PaginationDefinition | undefined, options: PagingOptions): Promise<PagedResult> {
  if (!pagination || pagination.style === 'none') {
    const response = await options.send(first);
    const records = readRecords(response, pagination?.recordsPath);
    if (!Array.isArray(records)) return { kind: 'single', response, pages: 1 };
    return limit({ kind: 'records', records, last: response, pages: 1 }, options.maxRecords, false);
  }

  const maxPages = pagination.maxPages ?? DEFAULT_MAX_PAGES;
  const pageSize = 'pageSize' in pagination ? pagination.pageSize : undefined;
  const records: unknown[] = [];
  const seenPositions = new Set<string>();
  const seenPages = new Set<string>();
  let request = initialRequest(first, pagination, options.maxRecords);
  let pages = 0;
  let fetched = 0;
  for (;;) {
    const response = await options.send(request);
    pages++;
    const page = readRecords(response, pagination.recordsPath);
    if (pages === 1 && !Array.isArray(page)) return { kind: 'single', response, pages: 1 };
    const items = Array.isArray(page) ? page : [];

    const digest = createHash('sha256').update(response.body).digest('hex');
    if (seenPages.has(digest) && items.length > 0) {
      return { kind: 'records', records, last: response, pages, truncated: { reason: 'identical-page', message: `Page ${pages} was identical to an earlier page: the vendor ignored the paging parameter, so paging stopped.` } };
    }
    seenPages.add(digest);
    records.push(...items);
    fetched += items.length;

    const next = nextRequest(request, response, pagination, { pages, fetched, items: items.length, pageSize, remaining: options.maxRecords === undefined ? undefined : options.maxRecords - records.length });
    if (options.maxRecords !== undefined && records.length >= options.maxRecords) {
      return limit({ kind: 'records', records, last: response, pages }, options.maxRecords, next.kind === 'next');
    }
    if (next.kind === 'end') return { kind: 'records', records, last: response, pages };
    const followed = next.url ? options.follow(next.url) : undefined;
    if (next.url && !followed) {
      return { kind: 'records', records, last: response, pages, truncated: { reason: 'foreign-next-link', message: `The next page link points to another origin (${next.url.origin}); it was not followed, so the connection's credentials stay with its vendor.` } };
    }
    if (pages >= maxPages) {
      return { kind: 'records', records, last: response, pages, truncated: { reason: 'max-pages', message: `Stopped after ${maxPages} pages (the activity's maxPages); more records exist. Narrow the query or set maxRecords.` } };
    }
    if (seenPositions.has(next.position)) {
      return { kind: 'records', records, last: response, pages, truncated: { reason: 'repeated-cursor', message: `The vendor returned a ${pagination.style === 'link' ? 'next link' : 'cursor'} it had already returned; paging stopped to avoid a loop.` } };
    }
    seenPositions.add(next.position);
    request = followed ? { ...next.request, url: followed } : next.request;
  }
}

function readRecords(response: VendorResponse, recordsPath: string | undefined): unknown {
  return recordsPath ? readPointer(response.json, recordsPath) : response.json;
}

function limit(result: Extract<PagedResult, { kind: 'records' }>, maxRecords: number | undefined, more: boolean): PagedResult {
  if (maxRecords === undefined || (result.records.length <= maxRecords && !(more && result.records.length === maxRecords))) return result;
  return {
    ...result,
    records: result.records.slice(0, maxRecords),
    truncated: { reason: 'max-records', message: `Stopped at maxRecords (${maxRecords}); more records exist.` },
  };
}

/** The first request carries the starting offset or page and the page size, unless the definition set them. */
function initialRequest(first: VendorRequest, p: PaginationDefinition, maxRecords: number | undefined): VendorRequest {
  const url = new URL(first.url);
  const size = (pageSize: number | undefined) => (pageSize === undefined ? undefined : maxRecords !== undefined ? Math.min(pageSize, maxRecords) : pageSize);
  if (p.style === 'offset') {
    url.searchParams.set(p.offsetParam, String(p.start ?? 0));
    const n = size(p.pageSize);
    if (n !== undefined && !url.searchParams.has(p.limitParam)) url.searchParams.set(p.limitParam, String(n));
  } else if (p.style === 'page') {
    url.searchParams.set(p.pageParam, String(p.start ?? 1));
    // Page numbers assume a fixed page size, so maxRecords does not shrink it.
    if (p.sizeParam && p.pageSize !== undefined && !url.searchParams.has(p.sizeParam)) url.searchParams.set(p.sizeParam, String(p.pageSize));
  } else if (p.style === 'cursor' && p.limitParam) {
    const n = size(p.pageSize);
    if (n !== undefined) return setParam({ ...first, url }, p.in ?? 'query', p.limitParam, n);
  }
  return { ...first, url };
}

type Next =
  | { kind: 'end' }
  /** `position` identifies where the request points (cursor, URL, offset), to detect loops. */
  | { kind: 'next'; request: VendorRequest; position: string; url?: URL };

interface Progress {
  pages: number;
  fetched: number;
  items: number;
  pageSize: number | undefined;
  remaining: number | undefined;
}

function nextRequest(request: VendorRequest, response: VendorResponse, p: PaginationDefinition, progress: Progress): Next {
  const hasMore = 'hasMorePath' in p && p.hasMorePath ? readPointer(response.json, p.hasMorePath) : undefined;
  if (hasMore === false) return { kind: 'end' };
  switch (p.style) {
    case 'none':
      return { kind: 'end' };
    case 'cursor': {
      const cursor = readPointer(response.json, p.cursorPath);
      if (cursor === undefined || cursor === null || cursor === '') return { kind: 'end' };
      let next = setParam(request, p.in ?? 'query', p.cursorParam, cursor);
      if (p.limitParam && p.pageSize !== undefined && progress.remaining !== undefined) {
        next = setParam(next, p.in ?? 'query', p.limitParam, Math.min(p.pageSize, progress.remaining));
      }
      return { kind: 'next', request: next, position: `cursor:${JSON.stringify(cursor)}` };
    }
    case 'link': {
      let url: URL | undefined;
      if (p.source === 'header') {
        // Relative links resolve against the URL that answered (after redirects).
        url = nextLinkFromHeader(response.headers['link'], response.url ?? request.url);
      } else {
        const raw = readPointer(response.json, p.urlPath);
        if (typeof raw === 'string' && raw) {
          try {
            url = new URL(raw, response.url ?? request.url);
          } catch {
            url = undefined;
          }
        }
      }
      if (!url) return { kind: 'end' };
      // A next link is a complete request: no body, and the body's content type goes with it.
      const { 'content-type': _type, ...headers } = request.headers;
      return { kind: 'next', request: { method: 'GET', url, headers, idempotent: true }, position: `link:${url.href}`, url };
    }
    case 'offset': {
      if (progress.items === 0 || (hasMore !== true && shortPage(request, p.limitParam, progress.items))) return { kind: 'end' };
      const url = new URL(request.url);
      const offset = (p.start ?? 0) + progress.fetched;
      url.searchParams.set(p.offsetParam, String(offset));
      if (p.pageSize !== undefined && progress.remaining !== undefined) url.searchParams.set(p.limitParam, String(Math.min(p.pageSize, progress.remaining)));
      return { kind: 'next', request: { ...request, url }, position: `offset:${offset}` };
    }
    case 'page': {
      if (progress.items === 0 || (hasMore !== true && p.sizeParam && shortPage(request, p.sizeParam, progress.items))) return { kind: 'end' };
      const url = new URL(request.url);
      const page = (p.start ?? 1) + progress.pages;
      url.searchParams.set(p.pageParam, String(page));
      return { kind: 'next', request: { ...request, url }, position: `page:${page}` };
    }
  }
}

/** A page shorter than the size asked for is the last one. Unknown size: only an empty page ends. */
function shortPage(request: VendorRequest, sizeParam: string, items: number): boolean {
  const asked = Number(request.url.searchParams.get(sizeParam));
  return Number.isFinite(asked) && asked > 0 && items < asked;
}

/** Puts a paging parameter in the query or in the JSON body's top level. */
function setParam(request: VendorRequest, where: 'query' | 'body', name: string, value: unknown): VendorRequest {
  if (where === 'query') {
    const url = new URL(request.url);
    url.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    return { ...request, url };
  }
  let body: Record<string, unknown> = {};
  if (typeof request.body === 'string' && request.body) {
    const parsed = JSON.parse(request.body) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  }
  body[name] = value;
  return { ...request, body: JSON.stringify(body), headers: { ...request.headers, 'content-type': request.headers['content-type'] ?? 'application/json' } };
}
