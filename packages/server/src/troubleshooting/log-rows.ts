import type { Queryable } from '../store/database.ts';
import { deleteInSlices, insertRows } from '../usage/batch-insert.ts';

/** One row of `request_logs`, already redacted. */
export interface RequestLogRow {
  id: string;
  at: Date;
  requestId: string;
  tenantId: string;
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
}

/** The bodies of one logged call, redacted and capped; present only while debug was on. */
export interface RequestBodyRow {
  logId: string;
  at: Date;
  requestBody: string | null;
  responseBody: string | null;
  requestTruncated: boolean;
  responseTruncated: boolean;
}

const LOG_COLUMNS = [
  'id', 'at', 'request_id', 'tenant_id', 'folder_id', 'connection_id', 'connector', 'kind', 'operation', 'method', 'url',
  'status', 'error_code', 'duration_ms', 'attempts', 'request_bytes', 'response_bytes',
] as const;
const BODY_COLUMNS = ['log_id', 'at', 'request_body', 'response_body', 'request_truncated', 'response_truncated'] as const;

export async function insertRequestLogs(db: Queryable, rows: readonly RequestLogRow[]): Promise<void> {
  await insertRows(db, 'request_logs', LOG_COLUMNS, rows.map((r) => [
    r.id, r.at, r.requestId, r.tenantId, r.folderId, r.connectionId, r.connector, r.kind, r.operation, r.method, r.url,
    r.status, r.errorCode, r.durationMs, r.attempts, r.requestBytes, r.responseBytes,
  ]));
}

export async function insertRequestBodies(db: Queryable, rows: readonly RequestBodyRow[]): Promise<void> {
  await insertRows(db, 'request_log_bodies', BODY_COLUMNS, rows.map((r) => [
    r.logId, r.at, r.requestBody, r.responseBody, r.requestTruncated, r.responseTruncated,
  ]));
}

/** Bodies go first (they hold the most sensitive data); entries later; their bodies go with them. */
export async function sweepRequestLogs(db: Queryable, cutoffs: { entries: Date; bodies: Date }): Promise<{ entries: number; bodies: number }> {
  const bodies = await deleteInSlices(db, 'request_log_bodies', 'log_id', 'at < $1', [cutoffs.bodies]);
  const entries = await deleteInSlices(db, 'request_logs', 'id', 'at < $1', [cutoffs.entries]);
  return { entries, bodies };
}
