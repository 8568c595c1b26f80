import type { Command } from 'commander';
import { clientFor } from '../client.ts';
import { print, printRecord } from '../output.ts';

export function errorsCommand(program: Command): void {
  program
    .command('errors [code]')
    .description('The error catalog: every error code, or what one means and how to fix it')
    .action(async (code: string | undefined, _o: unknown, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const catalog = await client.errors();
      if (!code) return print({ json }, catalog, { columns: ['code', 'status', 'title'], rows: catalog.items.map((e) => ({ ...e })) });
      const entry = catalog.items.find((e) => e.code === code.toUpperCase());
      if (!entry) throw new Error(`no error code "${code}" in the catalog`);
      printRecord({ json }, { ...entry });
    });
}
