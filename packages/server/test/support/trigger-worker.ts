// A separate Switchboard process with the trigger engine running, sharing a PostgreSQL schema
// with the test: the worker the test kills with SIGKILL in the middle of a delivery. It listens
// on a free port and prints "ready <url>"; it never ends by itself.
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/http/logging.ts';
import { createSwitchboard } from '../../src/service.ts';
import { openStore } from '../../src/store/open.ts';
import { acmeConnector } from './acme-connector.ts';
import { freePort } from './triggers.ts';

const [schema, databaseUrl, masterKey, leaseMs] = process.argv.slice(2) as [string, string, string, string];
const db = await openStore({ databaseUrl, schema });
const port = await freePort();
const config = loadConfig({
  SWITCHBOARD_MASTER_KEY: masterKey, PUBLIC_URL: `http://127.0.0.1:${port}`, PORT: String(port), LOG_LEVEL: 'error', DATABASE_URL: databaseUrl, SWITCHBOARD_ALLOW_PRIVATE_TARGETS: 'true',
});
const sb = await createSwitchboard(config, {
  logger: createLogger('error'),
  db,
  triggers: {
    run: true,
    // Its own sweep must not take the stalled delivery over before the test kills it.
    tickMs: 60_000,
    workerPollingSeconds: 0.5,
    delivery: { timeoutMs: 60_000, leaseMs: Number(leaseMs), retryWindowMs: 24 * 3600_000, backoff: () => 0, maxRetryAfterMs: 0 },
  },
});
sb.catalog.register(acmeConnector, { replace: true });
await sb.app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`ready http://127.0.0.1:${port}\n`);
