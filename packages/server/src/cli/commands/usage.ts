import type { UsageGroupBy } from '@switchboard/sdk';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { clientFor } from '../client.ts';
import { print } from '../output.ts';

const GROUP_BY: UsageGroupBy[] = ['day', 'connector', 'folder', 'kind'];
/** The report's item property for each grouping. */
const COLUMN: Record<UsageGroupBy, string> = { day: 'day', connector: 'connector', folder: 'folderId', kind: 'kind' };

function parseDay(value: string, flag: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError(`${flag} must be a UTC day, YYYY-MM-DD, got "${value}"`);
  return value;
}

function parseGroupBy(value: string): UsageGroupBy[] {
  const groups = value.split(',').map((g) => g.trim()).filter(Boolean);
  const wrong = groups.find((g) => !GROUP_BY.includes(g as UsageGroupBy));
  if (wrong) throw new InvalidArgumentError(`--group-by takes a comma-separated subset of ${GROUP_BY.join(', ')}, got "${wrong}"`);
  return groups as UsageGroupBy[];
}

export function usageCommand(program: Command): void {
  program
    .command('usage')
    .description('Calls, billable activities, errors and durations, by day, connector, folder or kind')
    .option('--from <day>', 'first UTC day, YYYY-MM-DD (default: 30 days ago)', (v) => parseDay(v, '--from'))
    .option('--to <day>', 'last UTC day, inclusive (default: today)', (v) => parseDay(v, '--to'))
    .addOption(
      new Option('--group-by <groups>', `comma-separated subset of ${GROUP_BY.join(', ')}; "" for totals only`)
        .argParser(parseGroupBy)
        .default(['day', 'connector', 'folder'], 'day,connector,folder'),
    )
    .option('--folder <folderId>', 'only this folder')
    .option('--connector <key>', 'only this connector')
    .action(async (opts: { from?: string; to?: string; groupBy: UsageGroupBy[]; folder?: string; connector?: string }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const report = await client.usage.report({ from: opts.from, to: opts.to, groupBy: opts.groupBy.join(','), folderId: opts.folder, connector: opts.connector });
      const groups = opts.groupBy.map((g) => COLUMN[g]);
      const figures = ['calls', 'billable', 'errors', 'p50DurationMs', 'p95DurationMs'];
      // The totals close the table, labelled in its first column.
      const total = { ...report.totals, [groups[0] ?? 'total']: 'TOTAL' };
      print({ json }, report, { columns: [...(groups.length ? groups : ['total']), ...figures], rows: groups.length ? [...report.items.map((i) => ({ ...i })), total] : [total] });
      if (!json) process.stderr.write(`\n${report.from} to ${report.to} (UTC days)\n`);
    });
}
