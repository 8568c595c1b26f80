import type { Command } from 'commander';
import { loadConfig } from '../../config/config.ts';
import { openStore } from '../../store/open.ts';
import { resolveMasterKeys } from '../../vault/master-key.ts';
import { Vault } from '../../vault/vault.ts';
import { clientFor } from '../client.ts';
import { printRecord } from '../output.ts';

export function keysCommand(program: Command): void {
  const keys = program.command('keys').description('Manage the credential vault keys');

  keys
    .command('rotate')
    .description('Rotate the vault data key and re-encrypt every secret. By default asks the running service (online); --offline opens the store directly while the service is stopped.')
    .option('--offline', 'open the store named by DATABASE_URL / SWITCHBOARD_DATA_DIR directly')
    .action(async (opts: { offline?: boolean }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      if (!opts.offline) {
        printRecord({ json }, { ...(await client.vault.rotate()) });
        return;
      }
      const config = loadConfig();
      const db = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const master = await resolveMasterKeys({ masterKey: config.masterKey, previousMasterKeys: config.previousMasterKeys, dataDir: config.databaseUrl ? undefined : config.dataDir });
        const vault = await Vault.open(db, master.current, master.previous);
        printRecord({ json }, { ...(await vault.rotate()) });
      } finally {
        await db.close();
      }
    });
}
