// Runs every test file of every workspace with node's test runner (through tsx, so the
// TypeScript sources run as they are). Extra arguments are passed to `node --test`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  let out = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out = out.concat(findTests(path));
    else if (entry.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const filter = process.env.TEST_FILTER;
const files = readdirSync('packages')
  .map((p) => join('packages', p, 'test'))
  .filter((dir) => { try { return statSync(dir).isDirectory(); } catch { return false; } })
  .flatMap(findTests)
  .filter((f) => !filter || f.includes(filter))
  .sort();

if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...process.argv.slice(2), ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
