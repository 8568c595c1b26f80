import type { Folders } from '../access/folders.ts';
import { isUuid } from '../access/ids.ts';
import type { Principal } from '../access/principal.ts';
import { Problem, notFound } from '../problems/problem.ts';
import type { Database } from '../store/database.ts';
import { readableFolders } from '../usage/scope.ts';

export interface RequestLogQuery {
  connectionId?: string | undefined;
  connector?: string | undefined;
  folderId?: string | undefined;
  /** An exact status (`404`), a class (`4xx`), or `error` (any failed call). */
  status?: string | undefined;
  errorCode?: string | undefined;
  requestId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface RequestLogView {
  id: string;
  at: string;
  requestId: string;
  folderId: string;
  connectionId: string;
  connector: string;
  kind: string;
  operation: string;
  method: string;
  url: string;
  status: number | null;
  errorCode: string | null;
  durationMs: number;
  attempts: number;
  requestBytes: number;
  responseBytes: number;
  /** Bodies were kept for this call (debug was on) and are not yet expired. */
  hasBodies: boolean;
}

export interface RequestLogDetail extends RequestLogView {
  /** Redacted; null when not kept, expired, or when you lack Connections.Edit in the folder. */
  requestBody: string | null;
  responseBody: string | null;
  bodiesTruncated: boolean;
  /** Bodies exist but reading them needs Connections.Edit (whoever can turn debug on). */
  bodiesWithheld: boolean;
}

interface LogRow {
  id: string;
  at: Date;
  request_id: string;
  folder_id: string;
  connection_id: string;
  connector: string;
  kind: string;
  operation: string;
  method: string;
  url: string;
  status: number | null;
  error_code: string | null;
  duration_ms: number;
  attempts: number;
  request_bytes: number;
  response_bytes: number;
  has_bodies: boolean;
}

const SELECT_LOG = `SELECT l.*, (b.log_id IS NOT NULL) AS has_bodies
  FROM request_logs l LEFT JOIN request_log_bodies b ON b.log_id = l.id`;

/**
 * Request logs: one entry per vendor call, newest first, over the folders the caller can
 * see (Connections.View). Pages are keyed on (time, id), not offsets, because new calls
 * arrive at the top all the time and an offset would repeat or skip entries.
 */
export class RequestLogs {
  constructor(
    private readonly db: Database,
    private readonly folders: Folders,
  ) {}

  async list(principal: Principal, query: RequestLogQuery): Promise<{ items: RequestLogView[]; nextCursor: string | null }> {
    const scope = await readableFolders(this.folders, principal, query.folderId);
    const where = ['l.tenant_id = $1'];
    const params: unknown[] = [principal.tenantId];
    const add = (sql: (p: string) => string, value: unknown) => where.push(sql(`$${params.push(value)}`));
    if (!scope.all) add((p) => `l.folder_id = ANY(${p}::uuid[])`, scope.ids);
    if (query.connectionId) {
      // A malformed id matches nothing, like an unknown one.
      if (!isUuid(query.connectionId)) return { items: [], nextCursor: null };
      add((p) => `l.connection_id = ${p}`, query.connectionId);
    }
    if (query.connector) add((p) => `l.connector = ${p}`, query.connector);
    if (query.errorCode) add((p) => `l.error_code = ${p}`, query.errorCode);
    if (query.requestId) add((p) => `l.request_id = ${p}`, query.requestId);
    if (query.from) add((p) => `l.at >= ${p}`, instant(query.from, 'from'));
    if (query.to) add((p) => `l.at < ${p}`, instant(query.to, 'to'));
    if (query.status) {
      const status = query.status.toLowerCase();
      if (status === 'error') where.push('(l.error_code IS NOT NULL OR l.status >= 400)');
      else if (/^[1-5]xx$/.test(status)) add((p) => `l.status BETWEEN ${p} * 100 AND ${p} * 100 + 99`, Number(status[0]));
      else add((p) => `l.status = ${p}`, Number(status));
    }
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      where.push(`(l.at, l.id) < ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)`);
    }
    // The route's schema bounds it too; this keeps programmatic callers from interpolating anything else.
    const limit = Math.min(500, Math.max(1, Math.floor(query.limit ?? 50)));
    const rows = await this.db.query<LogRow>(`${SELECT_LOG} WHERE ${where.join(' AND ')} ORDER BY l.at DESC, l.id DESC LIMIT ${limit + 1}`, params);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(view), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  async get(principal: Principal, id: string): Promise<RequestLogDetail> {
    const [row] = isUuid(id)
      ? await this.db.query<LogRow & { request_body: string | null; response_body: string | null; request_truncated: boolean | null; response_truncated: boolean | null }>(
          `SELECT l.*, (b.log_id IS NOT NULL) AS has_bodies, b.request_body, b.response_body, b.request_truncated, b.response_truncated
             FROM request_logs l LEFT JOIN request_log_bodies b ON b.log_id = l.id WHERE l.id = $1 AND l.tenant_id = $2`,
          [id, principal.tenantId],
        )
      : [];
    if (!row) throw notFound(`Request log entry ${id}`);
    let mayReadBodies = principal.isTenantAdmin;
    if (!principal.isTenantAdmin) {
      try {
        const folder = await this.folders.authorize(principal, row.folder_id, 'Connections.View');
        mayReadBodies = folder.permissions.includes('Connections.Edit');
      } catch (error) {
        if (error instanceof Problem && error.status === 404) throw notFound(`Request log entry ${id}`);
        throw error;
      }
    }
    const show = row.has_bodies && mayReadBodies;
    return {
      ...view(row),
      requestBody: show ? row.request_body : null,
      responseBody: show ? row.response_body : null,
      bodiesTruncated: show ? Boolean(row.request_truncated || row.response_truncated) : false,
      bodiesWithheld: row.has_bodies && !mayReadBodies,
    };
  }
}

function view(r: LogRow): RequestLogView {
  return {
    id: r.id,
    at: r.at.toISOString(),
    requestId: r.request_id,
    folderId: r.folder_id,
    connectionId: r.connection_id,
    connector: r.connector,
    kind: r.kind,
    operation: r.operation,
    method: r.method,
    url: r.url,
    status: r.status,
    errorCode: r.error_code,
    durationMs: r.duration_ms,
    attempts: r.attempts,
    requestBytes: Number(r.request_bytes),
    responseBytes: Number(r.response_bytes),
    hasBodies: r.has_bodies,
  };
}

function instant(value: string, name: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    throw new Problem('VALIDATION_FAILED', `${name}: must be an ISO 8601 date or date-time.`, { errors: [{ path: `/query/${name}`, message: 'must be an ISO 8601 date or date-time', rule: 'format' }] });
  }
  return at;
}

// Entries are written with millisecond times (JavaScript dates), so an ISO string keys them exactly.
function encodeCursor(row: LogRow): string {
  return Buffer.from(JSON.stringify({ at: row.at.toISOString(), id: row.id })).toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown };
    if (typeof parsed.at === 'string' && !Number.isNaN(Date.parse(parsed.at)) && typeof parsed.id === 'string' && isUuid(parsed.id)) {
      return { at: parsed.at, id: parsed.id };
    }
  } catch {
    // fall through to the problem below
  }
  throw new Problem('VALIDATION_FAILED', 'The cursor is not one this service issued.', {
    errors: [{ path: '/query/cursor', message: 'must be a nextCursor value returned by a previous page', rule: 'cursor' }],
  });
}
