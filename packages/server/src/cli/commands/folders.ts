import type { Role } from '@switchboard/sdk';
import type { Command } from 'commander';
import { clientFor } from '../client.ts';
import { print, printRecord } from '../output.ts';

const ROLES: Role[] = ['Administrator', 'Editor', 'User', 'Viewer'];

function parseRole(value: string, cmd: Command): Role {
  const role = ROLES.find((r) => r.toLowerCase() === value.toLowerCase());
  // cmd.error prints the usage error and exits with code 2, like commander's own checks.
  if (!role) cmd.error(`error: role "${value}" must be one of ${ROLES.join(', ')}`, { exitCode: 2, code: 'switchboard.invalidRole' });
  return role!;
}

export function foldersCommand(program: Command): void {
  const folders = program.command('folders').description('Manage folders and their members');

  folders.command('list').description('List the folders you have a role in').action(async (_o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    const page = await client.folders.list({ limit: 500 });
    print({ json }, page, { columns: ['id', 'fullyQualifiedName', 'kind', 'role'], rows: page.items as unknown as Record<string, unknown>[] });
  });

  folders
    .command('create <name>')
    .description('Create a shared folder')
    .option('--parent <folderId>', 'create it inside this folder')
    .action(async (name: string, opts: { parent?: string }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      printRecord({ json }, { ...(await client.folders.create({ name, parentId: opts.parent ?? null })) });
    });

  folders.command('rename <folderId> <name>').description('Rename a folder').action(async (id: string, name: string, _o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    printRecord({ json }, { ...(await client.folders.update(id, { name })) });
  });

  folders.command('delete <folderId>').description('Delete an empty folder').action(async (id: string, _o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    await client.folders.delete(id);
    print({ json }, { deleted: id }, { columns: ['deleted'], rows: [{ deleted: id }] });
  });

  folders.command('members <folderId>').description('List the members of a folder').action(async (id: string, _o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    const members = await client.folders.members(id);
    print({ json }, members, { columns: ['userId', 'email', 'role'], rows: members.items as unknown as Record<string, unknown>[] });
  });

  folders
    .command('set-member <folderId> <userId> <role>')
    .description(`Give a user a role in a folder (${ROLES.join(', ')})`)
    .action(async (id: string, userId: string, role: string, _o: unknown, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      printRecord({ json }, { ...(await client.folders.setMember(id, userId, parseRole(role, cmd))) });
    });

  folders.command('remove-member <folderId> <userId>').description('Remove a user from a folder').action(async (id: string, userId: string, _o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    await client.folders.removeMember(id, userId);
    print({ json }, { removed: userId }, { columns: ['removed'], rows: [{ removed: userId }] });
  });
}
