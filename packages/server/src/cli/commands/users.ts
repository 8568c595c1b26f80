import type { Command } from 'commander';
import { clientFor } from '../client.ts';
import { print, printRecord } from '../output.ts';

export function usersCommand(program: Command): void {
  const users = program.command('users').description('Manage users (tenant administrators)');

  users.command('list').description('List users').action(async (_o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    const page = await client.users.list({ limit: 500 });
    print({ json }, page, { columns: ['id', 'email', 'displayName', 'isTenantAdmin'], rows: page.items as unknown as Record<string, unknown>[] });
  });

  users
    .command('create <email>')
    .description('Create a user with a personal workspace')
    .option('--name <displayName>', 'display name')
    .option('--tenant-admin', 'make the user a tenant administrator')
    .action(async (email: string, opts: { name?: string; tenantAdmin?: boolean }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      printRecord({ json }, { ...(await client.users.create({ email, ...(opts.name ? { displayName: opts.name } : {}), isTenantAdmin: Boolean(opts.tenantAdmin) })) });
    });
}
