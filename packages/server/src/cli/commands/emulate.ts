import { DEFAULT_PORT, startMicrosoftEmulator } from '@switchboard/emulator-microsoft';
import type { Command } from 'commander';
import { parsePositive } from '../arguments.ts';

/** Runs a vendor emulator in the foreground, so automations can be developed offline. */
export function emulateCommand(program: Command): void {
  const emulate = program.command('emulate').description('Run a local emulator of a vendor API, for offline development and tests');

  emulate
    .command('microsoft')
    .description('Microsoft identity platform v2.0 + Microsoft Graph, one port per national cloud (global, usgov, dod, china)')
    .option('--port <port>', 'first port (global); the next three serve usgov, dod and china', (v) => parsePositive(v, '--port'), DEFAULT_PORT)
    .option('--host <host>', 'interface to bind (the admin API answers loopback callers only)', '127.0.0.1')
    .action(async (opts: { port: number; host: string }) => {
      const em = await startMicrosoftEmulator({ port: opts.port, host: opts.host });
      const apps = em.seed.apps.map((a) => `    ${a.displayName}: client id ${a.clientId}, secret ${a.secrets?.[0]?.value ?? '(none)'}`);
      const users = em.seed.users.map((u) => `    ${u.displayName} <${u.userPrincipalName}>`);
      process.stdout.write(
        [
          'Microsoft emulator listening:',
          ...Object.entries(em.origins).map(([cloud, origin]) => `  ${cloud.padEnd(7)} ${origin}`),
          '',
          'Point Switchboard at it (these are emulator-only credentials):',
          `  SWITCHBOARD_HOST_MAP='${em.hostMap}'`,
          '',
          '  App registrations:',
          ...apps,
          '  Users (pick one on the consent page):',
          ...users,
          '',
          `  Admin API: ${em.origins.global}/_emulator (add users, mail, faults; see packages/emulator-microsoft/README.md)`,
          '',
        ].join('\n'),
      );
      const stop = async () => {
        await em.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
    });
}
