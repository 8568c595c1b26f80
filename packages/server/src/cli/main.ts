import { SwitchboardError } from '@switchboard/sdk';
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { activitiesCommand } from './commands/activities.ts';
import { apiKeysCommand } from './commands/api-keys.ts';
import { connectionsCommand } from './commands/connections.ts';
import { connectorsCommand } from './commands/connectors.ts';
import { emulateCommand } from './commands/emulate.ts';
import { errorsCommand } from './commands/errors.ts';
import { foldersCommand } from './commands/folders.ts';
import { keysCommand } from './commands/keys.ts';
import { logsCommand } from './commands/logs.ts';
import { serveCommand } from './commands/serve.ts';
import { triggersCommand } from './commands/triggers.ts';
import { usageCommand } from './commands/usage.ts';
import { usersCommand } from './commands/users.ts';

const program = new Command('switchboard')
  .description('Switchboard: connectors, connections, activities and triggers for SaaS apps')
  .version(VERSION)
  .option('--url <url>', 'service URL (env SWITCHBOARD_URL)', process.env.SWITCHBOARD_URL ?? 'http://127.0.0.1:8080')
  .option('--api-key <key>', 'API key (env SWITCHBOARD_API_KEY; prefer the variable: arguments show in process lists)', process.env.SWITCHBOARD_API_KEY)
  .option('--json', 'print JSON instead of tables', false)
  .showHelpAfterError()
  .exitOverride();

serveCommand(program);
connectorsCommand(program);
connectionsCommand(program);
activitiesCommand(program);
triggersCommand(program);
foldersCommand(program);
usersCommand(program);
apiKeysCommand(program);
usageCommand(program);
logsCommand(program);
errorsCommand(program);
keysCommand(program);
emulateCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportError(error);
}

/** Exit codes: 2 for bad usage, 1 for a failed call or start. */
function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed the message (and help) for usage errors.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof SwitchboardError) {
    const { problem } = error;
    process.stderr.write(`error: ${problem.detail ?? problem.title} (${problem.code}, HTTP ${problem.status})\n`);
    for (const e of problem.errors ?? []) process.stderr.write(`  ${e.path}: ${e.message}\n`);
    return 1;
  }
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e instanceof TypeError && e.message === 'fetch failed') {
    const why = e.cause?.code ?? e.cause?.message ?? 'network error';
    process.stderr.write(`error: cannot reach the Switchboard service at ${program.opts().url} (${why}); is it running? Set --url or SWITCHBOARD_URL.\n`);
    return 1;
  }
  process.stderr.write(`error: ${e.message}\n`);
  return 1;
}
