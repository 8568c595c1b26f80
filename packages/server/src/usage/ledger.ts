import type { Queryable } from '../store/database.ts';
import { deleteInSlices, insertRows } from './batch-insert.ts';
import type { VendorCallRecord } from './recorder.ts';

/** One row of `usage_events`: a call, or the sum of many (`calls` > 1) after a buffer overflow. */
export interface UsageRow {
  at: Date;
  tenantId: string;
  folderId: string;
  connectionId: string;
  connector: string;
  kind: VendorCallRecord['kind'];
  operation: string;
  status: number | null;
  errorCode: string | null;
  ok: boolean;
  calls: number;
  billableUnits: number;
  requestBytes: number;
  responseBytes: number;
  durationMs: number;
}

const COLUMNS = [
  'at', 'tenant_id', 'folder_id', 'connection_id', 'connector', 'kind', 'operation', 'status', 'error_code', 'ok',
  'calls', 'billable_units', 'request_bytes', 'response_bytes', 'duration_ms',
] as const;

export async function insertUsageRows(db: Queryable, rows: readonly UsageRow[]): Promise<void> {
  await insertRows(db, 'usage_events', COLUMNS, rows.map((r) => [
    r.at, r.tenantId, r.folderId, r.connectionId, r.connector, r.kind, r.operation, r.status, r.errorCode, r.ok,
    r.calls, r.billableUnits, r.requestBytes, r.responseBytes, r.durationMs,
  ]));
}

/**
 * Folds a call into an aggregate row. Used only when the buffer is full: the per-call detail
 * (status, request log) is lost, but calls, billable units, errors and bytes stay exact, so
 * bills and quotas remain right after an outage of the store.
 */
export function aggregateKey(row: UsageRow): string {
  const day = row.at.toISOString().slice(0, 10);
  return [row.tenantId, row.folderId, row.connectionId, row.connector, row.kind, row.operation, day, row.ok, row.errorCode ?? ''].join('\u0001');
}

export function addInto(target: UsageRow | undefined, row: UsageRow): UsageRow {
  if (!target) return { ...row, status: null };
  target.calls += row.calls;
  target.billableUnits += row.billableUnits;
  target.requestBytes += row.requestBytes;
  target.responseBytes += row.responseBytes;
  target.durationMs += row.durationMs;
  return target;
}

/** Deletes ledger rows older than the usage retention. */
export async function sweepUsage(db: Queryable, olderThan: Date): Promise<number> {
  return deleteInSlices(db, 'usage_events', 'id', 'at < $1', [olderThan]);
}
