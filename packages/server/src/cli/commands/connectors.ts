import type { Command } from 'commander';
import { parsePositive } from '../arguments.ts';
import { clientFor } from '../client.ts';
import { print } from '../output.ts';

export function connectorsCommand(program: Command): void {
  const connectors = program.command('connectors').description('Browse the connector catalog');

  connectors
    .command('list')
    .description('List connectors')
    .option('-q, --query <text>', 'search key, name, vendor and categories')
    .option('--category <name>', 'only this category')
    .option('--auth-type <type>', 'only connectors offering this auth type')
    .option('--has-triggers', 'only connectors with triggers')
    .option('--limit <n>', 'page size', (v) => parsePositive(v, '--limit'), 100)
    .action(async (opts: { query?: string; category?: string; authType?: string; hasTriggers?: boolean; limit: number }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const page = await client.connectors.list({ q: opts.query, category: opts.category, authType: opts.authType, hasTriggers: opts.hasTriggers, limit: opts.limit });
      print({ json }, page, {
        columns: ['key', 'displayName', 'vendor', 'lifecycle', 'authTypes', 'activityCount', 'triggerCount'],
        rows: page.items.map((c) => ({ ...c, authTypes: c.authTypes.map((a) => a.type) })),
      });
    });

  connectors
    .command('show <key>')
    .description('Show a connector definition (always JSON: it is a document)')
    .action(async (key: string, _opts: unknown, cmd: Command) => {
      const { client } = clientFor(cmd);
      print({ json: true }, await client.connectors.get(key));
    });
}
