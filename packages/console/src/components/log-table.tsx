import type { ReactNode } from 'react';
import { formatDateTime } from '../format.ts';

export interface RequestLog {
  id: string;
  at: string;
  requestId: string;
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
}

/** Vendor calls, newest first: enough to see what failed, with the request id to search the server log. */
export function LogTable({ items, caption, showConnection }: { items: RequestLog[]; caption: string; showConnection?: (id: string) => ReactNode }) {
  if (items.length === 0) return <p>No requests recorded yet.</p>;
  return (
    <div className="table-wrap">
      <table className="compact">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {showConnection && <th scope="col">Connection</th>}
            <th scope="col">Operation</th>
            <th scope="col">Request</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => {
            const failed = r.errorCode !== null || (r.status ?? 0) >= 400;
            return (
              <tr key={r.id}>
                <td><time dateTime={r.at}>{formatDateTime(r.at)}</time></td>
                {showConnection && <td>{showConnection(r.connectionId)}</td>}
                <td>
                  {r.operation} <span className="muted small">({r.kind})</span>
                </td>
                <td className="url">
                  <code>{r.method} {r.url}</code>
                </td>
                <td>
                  <span className={`badge ${failed ? 'badge-bad' : 'badge-ok'}`}>{r.status ?? 'no answer'}</span>
                  {r.errorCode && <span className="small"> {r.errorCode}</span>}
                </td>
                <td>
                  {r.durationMs} ms{r.attempts > 1 && <span className="muted small"> ({r.attempts} tries)</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
