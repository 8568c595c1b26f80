import type { Folders } from '../access/folders.ts';
import type { Principal } from '../access/principal.ts';
import { Problem } from '../problems/problem.ts';
import type { Database } from '../store/database.ts';
import { readableFolders } from './scope.ts';

export const GROUP_BY = ['day', 'connector', 'folder', 'kind'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface UsageQuery {
  /** First day, inclusive (YYYY-MM-DD, UTC). Default: 29 days before `to`. */
  from?: string | undefined;
  /** Last day, inclusive. Default: today (UTC). */
  to?: string | undefined;
  /** Comma-separated subset of day, connector, folder, kind. */
  groupBy?: string | undefined;
  folderId?: string | undefined;
  connector?: string | undefined;
}

export interface UsageFigures {
  calls: number;
  billable: number;
  errors: number;
  requestBytes: number;
  responseBytes: number;
  avgDurationMs: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
}

export interface UsageGroup extends UsageFigures {
  day?: string;
  connector?: string;
  folderId?: string;
  kind?: string;
}

export interface UsageReport {
  from: string;
  to: string;
  groupBy: GroupBy[];
  totals: UsageFigures;
  items: UsageGroup[];
}

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

const DIMENSIONS: Record<GroupBy, { sql: string; alias: string }> = {
  day: { sql: "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')", alias: 'day' },
  connector: { sql: 'connector', alias: 'connector' },
  folder: { sql: 'folder_id', alias: 'folder_id' },
  kind: { sql: 'kind', alias: 'kind' },
};

// Percentiles use single-call rows only: a summed row (written after a buffer overflow) has no
// one duration. Means use every row: duration_ms and calls are both totals.
const FIGURES = `
  coalesce(sum(calls), 0)::bigint AS calls,
  coalesce(sum(billable_units), 0)::bigint AS billable,
  coalesce(sum(calls) FILTER (WHERE NOT ok), 0)::bigint AS errors,
  coalesce(sum(request_bytes), 0)::bigint AS request_bytes,
  coalesce(sum(response_bytes), 0)::bigint AS response_bytes,
  sum(duration_ms)::float8 / nullif(sum(calls), 0) AS avg_ms,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE calls = 1) AS p50_ms,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE calls = 1) AS p95_ms`;

interface FigureRow {
  calls: number;
  billable: number;
  errors: number;
  request_bytes: number;
  response_bytes: number;
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  day?: string;
  connector?: string;
  folder_id?: string;
  kind?: string;
}

/**
 * The usage report: calls, billable activities, errors, bytes and durations over a range of
 * UTC days, grouped as asked, over the folders the caller may see (Connections.View).
 */
export async function usageReport(db: Database, folders: Folders, principal: Principal, query: UsageQuery, now = Date.now()): Promise<UsageReport> {
  const { from, to } = dayRange(query, now);
  const groupBy = parseGroupBy(query.groupBy);
  const scope = await readableFolders(folders, principal, query.folderId);

  const where = ['tenant_id = $1', 'at >= $2', 'at < $3'];
  const params: unknown[] = [principal.tenantId, new Date(from), new Date(to + DAY_MS)];
  if (!scope.all) where.push(`folder_id = ANY($${params.push(scope.ids)}::uuid[])`);
  if (query.connector) where.push(`connector = $${params.push(query.connector)}`);
  const filter = where.join(' AND ');

  const dims = groupBy.map((g) => DIMENSIONS[g]);
  const select = dims.map((d) => `${d.sql} AS ${d.alias}`).join(', ');
  const [totals, rows] = await Promise.all([
    db.query<FigureRow>(`SELECT ${FIGURES} FROM usage_events WHERE ${filter}`, params),
    dims.length === 0
      ? Promise.resolve([])
      : db.query<FigureRow>(
          `SELECT ${select}, ${FIGURES} FROM usage_events WHERE ${filter} GROUP BY ${dims.map((_, i) => i + 1).join(', ')} ORDER BY ${dims.map((_, i) => i + 1).join(', ')}`,
          params,
        ),
  ]);
  return {
    from: isoDay(from),
    to: isoDay(to),
    groupBy,
    totals: figures(totals[0]!),
    items: rows.map((r) => ({
      ...(r.day !== undefined ? { day: r.day } : {}),
      ...(r.connector !== undefined ? { connector: r.connector } : {}),
      ...(r.folder_id !== undefined ? { folderId: r.folder_id } : {}),
      ...(r.kind !== undefined ? { kind: r.kind } : {}),
      ...figures(r),
    })),
  };
}

function figures(r: FigureRow): UsageFigures {
  const ms = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);
  return {
    calls: Number(r.calls),
    billable: Number(r.billable),
    errors: Number(r.errors),
    requestBytes: Number(r.request_bytes),
    responseBytes: Number(r.response_bytes),
    avgDurationMs: ms(r.avg_ms),
    p50DurationMs: ms(r.p50_ms),
    p95DurationMs: ms(r.p95_ms),
  };
}

export function parseGroupBy(value: string | undefined): GroupBy[] {
  if (value === undefined) return ['day', 'connector', 'folder'];
  const parts = value.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of parts) {
    if (!(GROUP_BY as readonly string[]).includes(p)) {
      throw new Problem('VALIDATION_FAILED', `groupBy: "${p}" is not one of ${GROUP_BY.join(', ')}.`, {
        errors: [{ path: '/query/groupBy', message: `must be a comma-separated subset of ${GROUP_BY.join(', ')}`, rule: 'enum' }],
      });
    }
  }
  // Keep the documented order whatever order was asked, so columns and sorting are stable.
  return GROUP_BY.filter((g) => parts.includes(g));
}

/** Midnight UTC of the first and of the last day. */
function dayRange(query: UsageQuery, now: number): { from: number; to: number } {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const to = query.to ? parseDay(query.to, 'to') : today;
  const from = query.from ? parseDay(query.from, 'from') : to - 29 * DAY_MS;
  if (from > to) throw rangeProblem('from', 'must not be after `to`');
  if ((to - from) / DAY_MS >= MAX_DAYS) throw rangeProblem('from', `the range may span at most ${MAX_DAYS} days`);
  return { from, to };
}

function parseDay(value: string, name: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || isoDay(ms) !== value) throw rangeProblem(name, 'must be a date as YYYY-MM-DD');
  return ms;
}

function rangeProblem(name: string, message: string): Problem {
  return new Problem('VALIDATION_FAILED', `${name}: ${message}.`, { errors: [{ path: `/query/${name}`, message, rule: 'date-range' }] });
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
