import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ADELE, APP } from './support/microsoft.ts';
import { type ListeningService, startListeningService } from './support/listening-service.ts';
import { ADMIN_KEY } from './support/service.ts';
import { waitFor } from './support/triggers.ts';

// The CLI's connection, activity, trigger, usage and log commands, run as a person or a script
// runs them (a child process, through the SDK, over HTTP) against a listening service whose
// Microsoft 365 is the emulator.

const BIN = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));
const MEGAN = 'MeganB@contoso.onmicrosoft.com';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('CLI API commands against a running service', () => {
  let env: ListeningService;
  let dir: string;
  let adele: string;

  /** Runs the CLI without blocking: the service it calls lives in this process. */
  function cli(...args: string[]): Promise<Run> {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, SWITCHBOARD_URL: env.s.publicUrl, SWITCHBOARD_API_KEY: ADMIN_KEY }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  /** A successful `--json` run, parsed. */
  async function json<T = any>(...args: string[]): Promise<T> {
    const r = await cli('--json', ...args);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as T;
  }

  before(async () => {
    env = await startListeningService();
    dir = await mkdtemp(join(tmpdir(), 'sb-cli-api-'));
    const created = await env.s.api('POST', '/api/v1/connections', {
      body: { folderId: env.folderId, connector: 'microsoft-365', authType: 'oauth2-byoa', name: 'Adele', fields: { clientId: APP.clientId, clientSecret: APP.secret, tenantId: 'common', scopes: ['Mail.Send', 'User.Read', 'offline_access', 'openid', 'profile', 'email'] } },
    });
    assert.equal(created.statusCode, 202, created.body);
    assert.equal((await env.consent(created.json().authorizationUrl, ADELE)).status, 200);
    adele = created.json().id;
  });
  after(async () => {
    await env?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('connections: list, show and check', async () => {
    const list = await cli('connections', 'list', '--connector', 'microsoft-365');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ID\s+NAME\s+CONNECTOR\s+STATUS\s+ACCOUNT/);
    assert.match(list.stdout, new RegExp(`${adele}\\s+Adele\\s+microsoft-365\\s+Connected\\s+${ADELE}`));

    assert.equal((await json('connections', 'show', adele)).account, ADELE);
    const check = await cli('connections', 'check', adele);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /lastCheck\s+\{"at":"[^"]+","ok":true/);

    const missing = await cli('connections', 'show', randomUUID());
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /\(CONNECTION_NOT_FOUND, HTTP 404\)/);
    const badStatus = await cli('connections', 'list', '--status', 'Broken');
    assert.equal(badStatus.code, 2);
    assert.match(badStatus.stderr, /Allowed choices are Pending, Connected, Disabled/);
  });

  test('activities: list, run with --input from a file, the HTTP Request; bad input is explained', async () => {
    const list = await cli('activities', 'list', 'microsoft-365');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^send-email\s+Send Email\s+curated\s+Mail/m);

    const subject = `CLI ${randomUUID()}`;
    const input = join(dir, 'send.json');
    await writeFile(input, JSON.stringify({ to: [MEGAN], subject, body: 'From the CLI.' }));
    const run = await cli('activities', 'run', adele, 'send-email', '--input', `@${input}`);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { sent: true }, 'stdout is the output alone');
    const requestId = /requestId (\S+),/.exec(run.stderr)?.[1];
    assert.ok(requestId, run.stderr);

    const invalid = await cli('activities', 'run', adele, 'send-email', '--input', '{"to": ["not an address"], "subject": "x"}');
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /\(ACTIVITY_INPUT_INVALID, HTTP 400\)/);
    assert.match(invalid.stderr, /^ {2}\/input\/to\/0: /m);
    const malformed = await cli('activities', 'run', adele, 'send-email', '--input', '{"to": [');
    assert.equal(malformed.code, 2, 'malformed JSON is a usage error, nothing is sent');
    assert.match(malformed.stderr, /--input is not valid JSON/);
    const noFile = await cli('activities', 'run', adele, 'send-email', '--input', `@${join(dir, 'absent.json')}`);
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /--input: cannot read .*absent\.json \(ENOENT\)/);

    const me = await json('activities', 'http', adele, 'get', '/me', '--query', '{"$select": "userPrincipalName"}');
    assert.equal(me.status, 200);
    assert.equal(me.body.userPrincipalName, ADELE);

    // The calls reach the request logs and the usage ledger in batches.
    const logs = await waitFor('the request log entry', async () => {
      const page = await json('logs', 'list', '--connection', adele, '--request-id', requestId);
      return page.items.length > 0 && page.items;
    });
    assert.equal(logs[0].operation, 'send-email');
    const show = await cli('logs', 'show', logs[0].id);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^url\s+\S*\/me\/sendMail$/m);
    const table = await cli('logs', 'list', '--connection', adele);
    assert.match(table.stdout, new RegExp(`${logs[0].id}\\s+\\S+\\s+microsoft-365\\s+send-email\\s+POST\\s+202`));

    const usage = await waitFor('the usage ledger', async () => {
      const report = await json('usage', '--group-by', 'connector', '--connector', 'microsoft-365');
      return report.totals.billable >= 2 && report;
    });
    assert.deepEqual(usage.items.map((i: { connector: string }) => i.connector), ['microsoft-365']);
    const usageTable = await cli('usage', '--group-by', 'connector');
    assert.match(usageTable.stdout, /^CONNECTOR\s+CALLS\s+BILLABLE/);
    assert.match(usageTable.stdout, /^TOTAL\s+\d+\s+\d+/m);
  });

  test('triggers: create from flags and from a file, receive a webhook event, read the pull queue, acknowledge', async () => {
    const hook = await json('connections', 'create', '--folder', env.folderId, '--connector', 'http-webhook', '--fields', '{"sourceName": "Orders"}');
    assert.equal(hook.status, 'Connected');

    const created = await json('triggers', 'create', '--connection', hook.id, '--trigger', 'webhook-received', '--name', 'Big orders', '--filter', 'body.total > `100`', '--queue');
    assert.equal(created.mode, 'webhook');
    assert.equal(created.filter.expression, 'body.total > `100`');
    const id = created.id as string;

    const tested = await cli('triggers', 'test', id, '--payload', '{"total": 150}');
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stdout, /^MATCHESFILTER\s+EVENT/);
    assert.match(tested.stdout, /^true\s+/m);

    for (const total of [150, 5]) {
      const posted = await fetch(created.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ total }) });
      assert.equal(posted.status, 202);
    }
    const pending = await json('triggers', 'events', id, '--state', 'pending');
    assert.equal(pending.items.length, 1, 'the filter kept only the big order');
    const eventId = pending.items[0].id as string;
    assert.equal(pending.items[0].payload.record.body.total, 150);
    const eventsTable = await cli('triggers', 'events', id);
    assert.match(eventsTable.stdout, new RegExp(`^${eventId}\\s+custom\\s+pending`, 'm'));

    const ack = await cli('triggers', 'ack', id, eventId);
    assert.equal(ack.code, 0, ack.stderr);
    assert.match(ack.stdout, new RegExp(`^${eventId}\\s+acked$`, 'm'));
    assert.deepEqual((await json('triggers', 'events', id, '--state', 'pending')).items, []);
    assert.equal((await json('triggers', 'replay', id, eventId)).state, 'pending');

    const disabled = await cli('triggers', 'disable', id);
    assert.match(disabled.stdout, new RegExp(`^${id}\\s+Big orders\\s+Disabled`, 'm'));
    const list = await cli('triggers', 'list', '--connection', hook.id);
    assert.match(list.stdout, new RegExp(`^${id}\\s+Big orders\\s+http-webhook\\s+\\S+\\s+webhook\\s+Disabled\\s+queue$`, 'm'));
    assert.equal((await json('triggers', 'enable', id)).status, 'Enabled');

    const file = join(dir, 'trigger.json');
    await writeFile(file, JSON.stringify({ connectionId: hook.id, trigger: 'webhook-received', filter: { all: [{ field: 'headers.x-kind', op: 'eq', value: 'refund' }] }, target: { type: 'queue' } }));
    const fromFile = await json('triggers', 'create', '--from-file', file, '--name', 'Refunds');
    assert.equal(fromFile.name, 'Refunds', 'flags go on top of the file');
    assert.equal(fromFile.filter.expression, "headers.\"x-kind\" == 'refund'");

    const both = await cli('triggers', 'create', '--connection', hook.id, '--trigger', 'webhook-received', '--queue', '--target-url', 'https://example.com/x');
    assert.equal(both.code, 2);
    const noTarget = await cli('triggers', 'create', '--connection', hook.id, '--trigger', 'webhook-received');
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /--target-url <url> or --queue/);
    const badFilter = await cli('triggers', 'create', '--connection', hook.id, '--trigger', 'webhook-received', '--queue', '--filter', 'body.total >');
    assert.equal(badFilter.code, 1);
    assert.match(badFilter.stderr, /TRIGGER_FILTER_INVALID/);

    assert.equal((await cli('triggers', 'delete', id)).code, 0);
    const gone = await cli('triggers', 'show', id);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /TRIGGER_NOT_FOUND/);
    assert.equal((await json('connections', 'delete', hook.id)).deleted, true);
    assert.deepEqual((await json('triggers', 'list', '--connection', hook.id)).items, [], 'its other trigger went with it');
  });

  test('errors: the catalog, and one code with its fix', async () => {
    const one = await cli('errors', 'connection_not_found');
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^status\s+404$/m);
    assert.match(one.stdout, /^fix\s+\S/m);
    const unknown = await cli('errors', 'NO_SUCH_CODE');
    assert.equal(unknown.code, 1);
  });
});
