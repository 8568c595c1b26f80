import type { ConnectionResult, ConnectionStatus } from '@switchboard/sdk';
import { type Command, Option } from 'commander';
import { parseJsonObject, parsePositive } from '../arguments.ts';
import { clientFor } from '../client.ts';
import { type Output, print, printPage, printRecord } from '../output.ts';

const STATUSES: ConnectionStatus[] = ['Pending', 'Connected', 'Disabled'];

/** Connected at once, or Pending: then the person has a URL to open, which goes to stderr as advice. */
function printResult(out: Output, result: ConnectionResult): void {
  printRecord(out, { ...result });
  if ('authorizationUrl' in result && !out.json) process.stderr.write('\nOpen the authorizationUrl in a browser to consent (valid 10 minutes, once).\n');
}

export function connectionsCommand(program: Command): void {
  const connections = program.command('connections').description('Manage connections: authenticated accounts of a connector');

  connections
    .command('list')
    .description('List the connections in the folders you can see')
    .option('--folder <folderId>', 'only this folder')
    .option('--connector <key>', 'only this connector')
    .addOption(new Option('--status <status>', 'only this status').choices(STATUSES))
    .option('--defaults-only', 'only the default connection of each connector per folder')
    .option('--limit <n>', 'page size', (v) => parsePositive(v, '--limit'), 100)
    .option('--cursor <cursor>', 'the next page, from a previous list')
    .action(async (opts: { folder?: string; connector?: string; status?: ConnectionStatus; defaultsOnly?: boolean; limit: number; cursor?: string }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const page = await client.connections.list({ folderId: opts.folder, connector: opts.connector, status: opts.status, defaultsOnly: opts.defaultsOnly, limit: opts.limit, cursor: opts.cursor });
      printPage({ json }, page, { columns: ['id', 'name', 'connector', 'status', 'account', 'isDefault', 'folderId'], rows: page.items.map((c) => ({ ...c })) });
    });

  connections.command('show <connectionId>').description('Show a connection (never its secrets)').action(async (id: string, _o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    printRecord({ json }, { ...(await client.connections.get(id)) });
  });

  connections
    .command('create')
    .description('Create a connection; browser-based auth types print an authorizationUrl to open')
    .requiredOption('--folder <folderId>', 'the folder to keep it in')
    .requiredOption('--connector <key>', 'the connector (see `connectors list`)')
    .option('--auth-type <type>', "default: the connector's default auth type")
    .option('--name <name>', 'a name for people')
    .option('--fields <json|@file>', "the auth type's field values, as a JSON object", (v) => parseJsonObject(v, '--fields'))
    .action(async (opts: { folder: string; connector: string; authType?: string; name?: string; fields?: Record<string, unknown> }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const result = await client.connections.create({
        folderId: opts.folder,
        connector: opts.connector,
        ...(opts.authType ? { authType: opts.authType } : {}),
        ...(opts.name ? { name: opts.name } : {}),
        ...(opts.fields ? { fields: opts.fields } : {}),
      });
      printResult({ json }, result);
    });

  connections
    .command('check <connectionId>')
    .description('Renew the token if needed and call the identity endpoint; exits 1 when the check fails')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const checked = await client.connections.check(id);
      printRecord({ json }, { id: checked.id, name: checked.name, status: checked.status, account: checked.account, lastCheck: checked.lastCheck, statusMessage: checked.statusMessage });
      // The call worked but the connection does not: scripts (`check || alert`) need to see that.
      if (!checked.lastCheck?.ok) {
        if (!json) process.stderr.write(`\ncheck failed: ${checked.lastCheck?.message ?? 'no answer'}\n`);
        process.exitCode = 1;
      }
    });

  connections
    .command('reconnect <connectionId>')
    .description('Re-run authentication on the same connection (same id, triggers and default flag)')
    .option('--fields <json|@file>', 'new field values, as a JSON object (the others are kept)', (v) => parseJsonObject(v, '--fields'))
    .action(async (id: string, opts: { fields?: Record<string, unknown> }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      printResult({ json }, await client.connections.reconnect(id, opts.fields ? { fields: opts.fields } : {}));
    });

  connections
    .command('delete <connectionId>')
    .description('Delete a connection and its triggers (revoking its tokens where the vendor supports it)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const result = await client.connections.delete(id);
      print({ json }, { id, ...result }, { columns: ['id', 'deleted', 'tokensRevoked'], rows: [{ id, ...result }] });
    });

  connections
    .command('debug <connectionId>')
    .description("Keep the bodies of the connection's calls in the request logs for a while (or --off)")
    .option('--minutes <n>', 'how long (default 60, at most 1440)', (v) => parsePositive(v, '--minutes'))
    .option('--off', 'turn debug off')
    .action(async (id: string, opts: { minutes?: number; off?: boolean }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      printRecord({ json }, { ...(await client.connections.setDebug(id, { enabled: !opts.off, ...(opts.minutes ? { minutes: opts.minutes } : {}) })) });
    });
}
