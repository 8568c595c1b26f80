import type { Command } from 'commander';
import { clientFor } from '../client.ts';
import { print, printRecord } from '../output.ts';

export function apiKeysCommand(program: Command): void {
  const keys = program.command('api-keys').description('Manage API keys');

  keys
    .command('list')
    .description('List API keys (never the keys themselves)')
    .option('--user <userId>', 'whose keys (tenant administrators)', 'me')
    .action(async (opts: { user: string }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const list = await client.apiKeys.list(opts.user);
      print({ json }, list, { columns: ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt'], rows: list.items as unknown as Record<string, unknown>[] });
    });

  keys
    .command('create <name>')
    .description('Create an API key; it is printed once')
    .option('--user <userId>', 'for whom (tenant administrators)', 'me')
    .option('--expires-at <dateTime>', 'ISO 8601 expiry')
    .action(async (name: string, opts: { user: string; expiresAt?: string }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const created = await client.apiKeys.create({ name, ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}) }, opts.user);
      printRecord({ json }, { ...created });
      if (!json) process.stderr.write('\nStore the key now: it is not shown again.\n');
    });

  keys
    .command('revoke <keyId>')
    .description('Revoke an API key')
    .option('--user <userId>', 'whose key (tenant administrators)', 'me')
    .action(async (keyId: string, opts: { user: string }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      printRecord({ json }, { ...(await client.apiKeys.revoke(keyId, opts.user)) });
    });
}
