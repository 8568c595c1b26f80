import type { Command } from 'commander';
import { parsePositive } from '../arguments.ts';
import { clientFor } from '../client.ts';
import { printPage, printRecord } from '../output.ts';

interface ListOptions {
  connection?: string;
  connector?: string;
  folder?: string;
  status?: string;
  errorCode?: string;
  requestId?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export function logsCommand(program: Command): void {
  const logs = program.command('logs').description('Request logs: every vendor call, for troubleshooting');

  logs
    .command('list')
    .description('Vendor calls, newest first, in the folders you can see')
    .option('--connection <connectionId>', 'only this connection')
    .option('--connector <key>', 'only this connector')
    .option('--folder <folderId>', 'only this folder')
    .option('--status <status>', 'an exact status (404), a class (4xx), or "error" for every failed call')
    .option('--error-code <code>', 'only this error code')
    .option('--request-id <id>', 'only the calls of this API request (its X-Request-Id)')
    .option('--from <dateTime>', 'ISO 8601, inclusive')
    .option('--to <dateTime>', 'ISO 8601, exclusive')
    .option('--limit <n>', 'page size', (v) => parsePositive(v, '--limit'), 50)
    .option('--cursor <cursor>', 'the next page, from a previous list')
    .action(async (o: ListOptions, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const page = await client.logs.list({
        connectionId: o.connection, connector: o.connector, folderId: o.folder, status: o.status, errorCode: o.errorCode,
        requestId: o.requestId, from: o.from, to: o.to, limit: o.limit, cursor: o.cursor,
      });
      printPage({ json }, page, { columns: ['id', 'at', 'connector', 'operation', 'method', 'status', 'errorCode', 'durationMs'], rows: page.items.map((l) => ({ ...l })) });
    });

  logs.command('show <logId>').description('One entry, with its redacted bodies when debug was on').action(async (id: string, _o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    printRecord({ json }, { ...(await client.logs.get(id)) });
  });
}
