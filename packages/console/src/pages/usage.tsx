import { type FormEvent, useState } from 'react';
import { connectorSummaries } from '../api/catalog.ts';
import { api } from '../api/client.ts';
import { ConnectorIcon } from '../components/connector-icon.tsx';
import { useResource } from '../api/use-resource.ts';
import { Loading, ProblemNotice } from '../components/notice.tsx';
import { DailyBars, ShareBars, daysBetween } from '../components/usage-charts.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { formatDateTime } from '../format.ts';
import { folderLabel, useWorkspace } from '../session.tsx';

interface Figures {
  calls: number;
  billable: number;
  errors: number;
  avgDurationMs: number | null;
  p95DurationMs: number | null;
}

interface UsageReport {
  from: string;
  to: string;
  totals: Figures;
  items: Array<Figures & { day?: string; connector?: string; folderId?: string; kind?: string }>;
}

interface Quota {
  monthlyActivityQuota: number | null;
  used: number;
  remaining: number | null;
  resetsAt: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Integration Activities used (what is billable), calls, errors and latency, per connector and folder. */
export function UsagePage() {
  const { folders, session } = useWorkspace();
  const [range, setRange] = useState(() => ({ from: day(new Date(Date.now() - 29 * 86400_000)), to: day(new Date()) }));
  const report = useResource(`usage:${range.from}:${range.to}`, () => api.get<UsageReport>('/api/v1/usage', { from: range.from, to: range.to, groupBy: 'connector,folder' }));
  const daily = useResource(`usage-daily:${range.from}:${range.to}`, () => api.get<UsageReport>('/api/v1/usage', { from: range.from, to: range.to, groupBy: 'day' }));
  const quota = useResource('quota', () => api.get<Quota>('/api/v1/usage/quota'));
  const catalog = useResource('connectors', connectorSummaries);

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setRange({ from: String(form.get('from')), to: String(form.get('to')) });
  };
  const folderName = (id: string | undefined) => {
    const f = folders.data?.find((x) => x.id === id);
    return f ? folderLabel(f, session) : 'A deleted folder';
  };
  const connectorName = (key: string | undefined) => catalog.data?.find((c) => c.key === key)?.displayName ?? key ?? '';
  /** Billable figures of the connector × folder rows, summed by one of the two. */
  const billableBy = (dimension: 'connector' | 'folderId') => {
    const sums = new Map<string, number>();
    for (const row of report.data?.items ?? []) sums.set(row[dimension] ?? '', (sums.get(row[dimension] ?? '') ?? 0) + row.billable);
    return [...sums].map(([key, value]) => ({ key, value }));
  };
  const perDay = daily.data
    ? daysBetween(daily.data.from, daily.data.to).map((d) => ({ day: d, value: daily.data!.items.find((i) => i.day?.slice(0, 10) === d)?.billable ?? 0 }))
    : null;

  return (
    <>
      <PageHeader title="Usage" documentTitle="Usage" subtitle="Billable Integration Activities are successful activity calls, HTTP requests and trigger starts; checks and failures are free." />
      {quota.data && (
        <section className="cards-row" aria-label="This month">
          <div className="stat">
            <span className="stat-value">{quota.data.used.toLocaleString()}</span>
            <span className="stat-label">billable activities this month</span>
          </div>
          <div className="stat">
            <span className="stat-value">{quota.data.monthlyActivityQuota === null ? 'Unlimited' : quota.data.remaining?.toLocaleString()}</span>
            <span className="stat-label">{quota.data.monthlyActivityQuota === null ? 'monthly quota' : `left of ${quota.data.monthlyActivityQuota.toLocaleString()}, resets ${formatDateTime(quota.data.resetsAt)}`}</span>
          </div>
        </section>
      )}
      <form className="filters" onSubmit={apply} aria-label="Period">
        <label>
          <span>From</span>
          <input type="date" name="from" defaultValue={range.from} required />
        </label>
        <label>
          <span>To</span>
          <input type="date" name="to" defaultValue={range.to} required />
        </label>
        <button type="submit">Show</button>
      </form>
      {report.error ? (
        <ProblemNotice error={report.error} what="Usage reporting" />
      ) : !report.data ? (
        <Loading label="Loading usage" />
      ) : (
        <>
          <section className="cards-row" aria-label="Totals of the period">
            <div className="stat"><span className="stat-value">{report.data.totals.billable.toLocaleString()}</span><span className="stat-label">billable activities</span></div>
            <div className="stat"><span className="stat-value">{report.data.totals.calls.toLocaleString()}</span><span className="stat-label">vendor calls</span></div>
            <div className="stat"><span className="stat-value">{report.data.totals.errors.toLocaleString()}</span><span className="stat-label">failed calls</span></div>
            <div className="stat"><span className="stat-value">{report.data.totals.p95DurationMs === null ? '—' : `${Math.round(report.data.totals.p95DurationMs)} ms`}</span><span className="stat-label">95th percentile duration</span></div>
          </section>
          <section className="charts" aria-label="Billable activities">
            {perDay && <DailyBars id="usage-by-day" title="Billable activities by day" days={perDay} unit="billable activities" />}
            <ShareBars
              id="usage-by-connector"
              title="By connector"
              unit="billable activities"
              parts={billableBy('connector').map((p) => ({ ...p, label: <span className="with-icon"><ConnectorIcon icon={catalog.data?.find((c) => c.key === p.key)?.icon} size={16} />{connectorName(p.key)}</span> }))}
            />
            <ShareBars id="usage-by-folder" title="By folder" unit="billable activities" parts={billableBy('folderId').map((p) => ({ ...p, label: folderName(p.key) }))} />
          </section>
          {report.data.items.length === 0 ? (
            <p>No vendor calls in this period.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Usage by connector and folder</caption>
                <thead>
                  <tr>
                    <th scope="col">Connector</th>
                    <th scope="col">Folder</th>
                    <th scope="col" className="num">Billable</th>
                    <th scope="col" className="num">Calls</th>
                    <th scope="col" className="num">Errors</th>
                    <th scope="col" className="num">Average</th>
                  </tr>
                </thead>
                <tbody>
                  {report.data.items.map((row) => (
                    <tr key={`${row.connector}:${row.folderId}`}>
                      <th scope="row">
                        <span className="with-icon">
                          <ConnectorIcon icon={catalog.data?.find((c) => c.key === row.connector)?.icon} size={20} />
                          {connectorName(row.connector)}
                        </span>
                      </th>
                      <td>{folderName(row.folderId)}</td>
                      <td className="num">{row.billable.toLocaleString()}</td>
                      <td className="num">{row.calls.toLocaleString()}</td>
                      <td className="num">{row.errors.toLocaleString()}</td>
                      <td className="num">{row.avgDurationMs === null ? '—' : `${Math.round(row.avgDurationMs)} ms`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}
