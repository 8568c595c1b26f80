// A separate Switchboard process sharing a PostgreSQL schema with the test, used to prove
// that token renewal is single-flight across processes. Protocol on stdio: it prints
// "ready", waits for a line "go <connectionId> <calls>", makes that many concurrent token
// requests and prints one JSON line with the distinct access tokens it received.
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/http/logging.ts';
import { createSwitchboard } from '../../src/service.ts';
import { openStore } from '../../src/store/open.ts';

const [schema, databaseUrl, hostMap, masterKey] = process.argv.slice(2) as [string, string, string, string];
const db = await openStore({ databaseUrl, schema });
const config = loadConfig({ SWITCHBOARD_MASTER_KEY: masterKey, SWITCHBOARD_HOST_MAP: hostMap, PUBLIC_URL: 'http://127.0.0.1:8080', LOG_LEVEL: 'error', DATABASE_URL: databaseUrl });
const sb = await createSwitchboard(config, { logger: createLogger('error'), db, tokens: { baseDelayMs: 5 } });
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [command, id, calls] = line.split(' ');
  if (command !== 'go') continue;
  const results = await Promise.allSettled(Array.from({ length: Number(calls) }, () => sb.tokens.token(id!)));
  const tokens = [...new Set(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ accessToken: string }>).value.accessToken))];
  const errors = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
  process.stdout.write(`${JSON.stringify({ tokens, errors })}\n`);
  break;
}
await sb.close();
await db.close();
process.exit(0);
