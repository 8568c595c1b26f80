// Builds the console when dist/ is missing or older than its sources, so `npm start` and
// `npm test` serve the console on a fresh clone without a separate build step. Fast path:
// a few stat calls when nothing changed.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const consoleDir = fileURLToPath(new URL('..', import.meta.url));
const catalogSrc = join(consoleDir, '..', 'catalog', 'src');
/** What the build reads: the console's own files and the catalog modules it aliases. */
const SOURCES = [
  join(consoleDir, 'src'),
  join(consoleDir, 'public'),
  join(consoleDir, 'index.html'),
  join(consoleDir, 'vite.config.ts'),
  join(consoleDir, 'package.json'),
  join(catalogSrc, 'connection-form.ts'),
  join(catalogSrc, 'definition.ts'),
];

/** @param {string} path @returns {number} */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/** @returns {boolean} whether a build ran */
export function ensureConsoleBuilt() {
  const built = newest(join(consoleDir, 'dist', 'index.html'));
  if (built > 0 && built >= Math.max(...SOURCES.map(newest))) return false;
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  process.stderr.write(built ? 'The console sources changed: rebuilding it...\n' : 'Building the console (first start)...\n');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: consoleDir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`The console build failed (exit ${result.status}); run \`npm run build -w packages/console\` to see why.`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureConsoleBuilt();
  } catch (error) {
    process.stderr.write(`${/** @type {Error} */ (error).message}\n`);
    process.exit(1);
  }
}
