import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  stdout: () => string;
}

/** Starts `switchboard serve` as a person would, on an ephemeral port, and waits for it to listen. */
async function serve(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}\n${err}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      for (const line of out.split('\n')) {
        if (!line.includes('switchboard listening')) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line).address as string);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}\n${err}`)));
  });
  return { child, url, stderr: () => err, stdout: () => out };
}

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function stop(r: Running): Promise<void> {
  const exited = new Promise((resolve) => r.child.once('exit', resolve));
  r.child.kill('SIGTERM');
  await exited;
}

describe('CLI and `serve` with the embedded store', () => {
  let dir: string;
  let first: Running;
  let key: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sb-cli-'));
    first = await serve({ SWITCHBOARD_DATA_DIR: dir });
    key = /\n\s+(sb_[A-Za-z0-9_-]{43})\n/.exec(first.stderr())?.[1] ?? '';
  });
  after(async () => {
    if (first.child.exitCode === null) await stop(first);
    await rm(dir, { recursive: true, force: true });
  });

  test('the first start bootstraps and prints a one-time administrator key, never into the log', async () => {
    assert.match(key, /^sb_/);
    assert.ok(!first.stdout().includes(key), 'the key is not in the JSON log stream');
    const health = await (await fetch(`${first.url}/api/v1/health`)).json();
    assert.deepEqual({ status: health.status, store: health.store }, { status: 'ok', store: 'embedded' });
  });

  test('tables for people, JSON for scripts', async () => {
    const env = { SWITCHBOARD_URL: first.url, SWITCHBOARD_API_KEY: key };
    const table = cli(['folders', 'list'], env);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+FULLYQUALIFIEDNAME\s+KIND\s+ROLE/);
    assert.match(table.stdout, /Shared\s+shared\s+Administrator/);
    const created = cli(['--json', 'folders', 'create', 'Finance'], env);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(JSON.parse(created.stdout).fullyQualifiedName, 'Finance');
    const connectors = cli(['--json', 'connectors', 'list'], env);
    assert.equal(connectors.code, 0, connectors.stderr);
    assert.ok(JSON.parse(connectors.stdout).items.some((c: { key: string }) => c.key === 'microsoft-365'));
    const keyCreated = cli(['--json', 'api-keys', 'create', 'scripts'], env);
    assert.match(JSON.parse(keyCreated.stdout).key, /^sb_/);
  });

  test('bad arguments and failed calls: a clear error and a non-zero exit', async () => {
    const env = { SWITCHBOARD_URL: first.url, SWITCHBOARD_API_KEY: key };
    const unknown = cli(['folders', 'frobnicate'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command/);
    const badRole = cli(['folders', 'set-member', 'x', 'y', 'Owner'], env);
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /must be one of Administrator, Editor, User, Viewer/);
    const duplicate = cli(['folders', 'create', 'Finance'], env);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /already exists here\. \(CONFLICT, HTTP 409\)/);
    const noKey = cli(['folders', 'list'], { SWITCHBOARD_URL: first.url, SWITCHBOARD_API_KEY: '' });
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /UNAUTHENTICATED/);
    const down = cli(['folders', 'list'], { SWITCHBOARD_URL: 'http://127.0.0.1:59999', SWITCHBOARD_API_KEY: key });
    assert.equal(down.code, 1);
    assert.match(down.stderr, /cannot reach the Switchboard service/);
  });

  test('data survives a restart; the key is not printed again', async () => {
    await stop(first);
    const second = await serve({ SWITCHBOARD_DATA_DIR: dir });
    try {
      assert.ok(!second.stderr().includes('sb_'), 'no new key on a second start');
      const r = cli(['--json', 'folders', 'list'], { SWITCHBOARD_URL: second.url, SWITCHBOARD_API_KEY: key });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(JSON.parse(r.stdout).items.some((f: { name: string }) => f.name === 'Finance'));
    } finally {
      await stop(second);
    }
  });

  test('a wrong master key stops the start with a clear message', async () => {
    const r = spawnSync(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, PORT: '0', SWITCHBOARD_DATA_DIR: dir, SWITCHBOARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /switchboard cannot start: SWITCHBOARD_MASTER_KEY does not match/);
  });
});

test('`switchboard emulate microsoft` serves the four clouds and prints the host map', async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [BIN, 'emulate', 'microsoft', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 30_000);
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('Admin API')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    assert.match(out, new RegExp(`SWITCHBOARD_HOST_MAP='login\\.microsoftonline\\.com=http://127\\.0\\.0\\.1:${port},`));
    assert.match(out, new RegExp(`dod-graph\\.microsoft\\.us=http://127\\.0\\.0\\.1:${port + 2}`));
    const discovery = await (await fetch(`http://127.0.0.1:${port + 1}/organizations/v2.0/.well-known/openid-configuration`)).json();
    assert.match(discovery.token_endpoint, /\/organizations\/oauth2\/v2\.0\/token$/);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});
