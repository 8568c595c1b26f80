import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../../config/config.ts';
import { MasterKeyError } from '../../vault/master-key.ts';
import { VaultLockedError } from '../../vault/vault.ts';
import { createLogger } from '../../http/logging.ts';
import { createSwitchboard } from '../../service.ts';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the Switchboard service (configuration from environment variables; see the README)')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      let sb: Awaited<ReturnType<typeof createSwitchboard>>;
      try {
        sb = await createSwitchboard(config, { logger, background: true });
      } catch (error) {
        // Refusing to start is the safe answer to a key that cannot open the vault: say why, plainly.
        if (error instanceof VaultLockedError || error instanceof MasterKeyError || error instanceof ConfigError) {
          process.stderr.write(`switchboard cannot start: ${error.message}\n`);
          process.exit(1);
        }
        throw error;
      }
      if (sb.bootstrap) {
        // Printed once, to the terminal and not the log stream: log pipelines must never hold a key.
        process.stderr.write(
          `\n  Switchboard bootstrapped a default tenant with administrator ${sb.bootstrap.email} and a folder "Shared".\n` +
            (sb.bootstrap.generatedKey
              ? `  Administrator API key (shown once, store it now):\n\n    ${sb.bootstrap.generatedKey}\n\n`
              : '  The administrator API key is the one in SWITCHBOARD_BOOTSTRAP_ADMIN_KEY.\n\n') +
            (sb.bootstrap.generatedPassword
              ? `  Console sign-in at ${config.publicUrl}: ${sb.bootstrap.email} with password (shown once, change it after signing in):\n\n    ${sb.bootstrap.generatedPassword}\n\n`
              : `  Console sign-in at ${config.publicUrl}: ${sb.bootstrap.email} with the password in SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD.\n\n`),
        );
      }
      const address = await sb.app.listen({ host: config.host, port: config.port });
      logger.info({ address, publicUrl: config.publicUrl, store: sb.db.kind, dataDir: sb.db.kind === 'embedded' ? config.dataDir : undefined }, 'switchboard listening');
      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        logger.info({ signal }, 'shutting down');
        await sb.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
