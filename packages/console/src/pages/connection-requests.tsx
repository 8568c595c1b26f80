import { api } from '../api/client.ts';
import { useResource } from '../api/use-resource.ts';
import { LogTable, type RequestLog } from '../components/log-table.tsx';
import { Loading, ProblemNotice } from '../components/notice.tsx';

/** The connection's recent vendor calls, from GET /api/v1/logs. */
export function ConnectionRequests({ connectionId }: { connectionId: string }) {
  const logs = useResource(`logs:${connectionId}`, () => api.get<{ items: RequestLog[] }>('/api/v1/logs', { connectionId, limit: 50 }));
  return (
    <section aria-labelledby="requests-title">
      <h2 id="requests-title">Recent requests</h2>
      <p className="muted">The last 50 calls this connection made to the vendor: activities, HTTP requests, trigger polls and checks.</p>
      {logs.error ? (
        <ProblemNotice error={logs.error} what="Request logs" />
      ) : !logs.data ? (
        <Loading label="Loading requests" />
      ) : (
        <>
          <LogTable items={logs.data.items} caption="Recent requests of this connection" />
          <button type="button" onClick={logs.reload}>
            Refresh
          </button>
        </>
      )}
    </section>
  );
}
