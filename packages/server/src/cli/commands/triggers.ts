import type { CreateTrigger, CreatedTrigger, Trigger, TriggerEventState, TriggerFilter, TriggerStatus } from '@switchboard/sdk';
import { type Command, Option } from 'commander';
import { collectHeader, parseJson, parseJsonObject, parsePositive, readText } from '../arguments.ts';
import { clientFor } from '../client.ts';
import { type Output, print, printPage, printRecord } from '../output.ts';

const STATES: TriggerEventState[] = ['pending', 'delivering', 'delivered', 'dead', 'acked'];
const STATUSES: TriggerStatus[] = ['Enabled', 'Disabled'];

/**
 * A filter is JMESPath text or conditions as JSON (`{"all": [...]}`), inline or from @file:
 * text that opens with `{` is read as conditions, anything else as JMESPath. (A JMESPath that
 * itself starts with @ can be written in parentheses.)
 */
function parseFilter(value: string): TriggerFilter {
  const text = (value.startsWith('@') ? readText(value.slice(1), '--filter') : value).trim();
  return text.startsWith('{') ? (parseJson(text, '--filter') as TriggerFilter) : text;
}

function targetText(t: Trigger): string {
  return t.target.type === 'webhook' ? t.target.url : 'queue';
}

/** Scripts get the API's object; people get the filter and target as one line each, and a warning about the secret. */
function printCreated(out: Output, created: CreatedTrigger): void {
  if (out.json) return print(out, created);
  printRecord(out, { ...created, filter: created.filter?.expression ?? null, target: targetText(created) });
  if (created.signingSecret) process.stderr.write('\nStore the signing secret now: it is not shown again.\n');
}

interface CreateOptions {
  fromFile?: Record<string, unknown>;
  connection?: string;
  name?: string;
  trigger?: string;
  object?: string;
  event?: string;
  input?: Record<string, unknown>;
  filter?: TriggerFilter;
  targetUrl?: string;
  queue?: boolean;
  backfill?: number;
  disabled?: boolean;
}

/** The request body: the file's, with each flag given on top of it. */
function createBody(opts: CreateOptions): Partial<CreateTrigger> {
  const target = opts.targetUrl ? { type: 'webhook' as const, url: opts.targetUrl } : opts.queue ? { type: 'queue' as const } : undefined;
  const flags: Partial<CreateTrigger> = {
    connectionId: opts.connection,
    name: opts.name,
    trigger: opts.trigger,
    object: opts.object,
    event: opts.event,
    input: opts.input,
    filter: opts.filter,
    target,
    startFrom: opts.backfill ? { backfill: opts.backfill } : undefined,
    enabled: opts.disabled ? false : undefined,
  };
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  return { ...(opts.fromFile as Partial<CreateTrigger> | undefined), ...given };
}

export function triggersCommand(program: Command): void {
  const triggers = program.command('triggers').description('Manage triggers: events of a connection, filtered, delivered to a webhook or a pull queue');

  triggers
    .command('list')
    .description('List the triggers in the folders you can see')
    .option('--folder <folderId>', 'only this folder')
    .option('--connection <connectionId>', 'only this connection')
    .addOption(new Option('--status <status>', 'only this status').choices(STATUSES))
    .option('--limit <n>', 'page size', (v) => parsePositive(v, '--limit'), 100)
    .option('--cursor <cursor>', 'the next page, from a previous list')
    .action(async (opts: { folder?: string; connection?: string; status?: TriggerStatus; limit: number; cursor?: string }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const page = await client.triggers.list({ folderId: opts.folder, connectionId: opts.connection, status: opts.status, limit: opts.limit, cursor: opts.cursor });
      printPage({ json }, page, {
        columns: ['id', 'name', 'connector', 'event', 'mode', 'status', 'target'],
        rows: page.items.map((t) => ({ ...t, target: targetText(t) })),
      });
    });

  triggers.command('show <triggerId>').description('Show a trigger with its webhook URL, subscription and health').action(async (id: string, _o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    printRecord({ json }, { ...(await client.triggers.get(id)) });
  });

  triggers
    .command('create')
    .description('Create a trigger from flags, or from a JSON file of the request body (flags override it)')
    .option('--from-file <file>', 'the POST /api/v1/triggers body as a JSON file (`-` reads standard input)', (v) => parseJsonObject(`@${v}`, '--from-file'))
    .option('--connection <connectionId>', 'the connection it listens to')
    .option('--trigger <key>', 'a trigger of the connector (see `connectors show`)')
    .option('--object <object>', 'or, with --event, a record event on this object')
    .option('--event <event>', 'created, updated or deleted (with --object)')
    .option('--name <name>', 'a name for people')
    .option('--input <json|@file>', "the trigger's parameters, a JSON object", (v) => parseJsonObject(v, '--input'))
    .option('--filter <jmespath|json|@file>', 'which events pass: JMESPath, or conditions as JSON ({"all": [{"field": ..., "op": ..., "value": ...}]})', parseFilter)
    .addOption(new Option('--target-url <url>', 'deliver each event to this URL, signed per Standard Webhooks').conflicts('queue'))
    .addOption(new Option('--queue', 'keep the events in a pull queue (read with `triggers events --state pending`)').conflicts('targetUrl'))
    .option('--backfill <n>', 'also fire the newest n existing records on the first poll', (v) => parsePositive(v, '--backfill'))
    .option('--disabled', 'create it disabled')
    .action(async (opts: CreateOptions, cmd: Command) => {
      const body = createBody(opts);
      if (!body.connectionId) cmd.error('error: --connection (or connectionId in --from-file) is required', { exitCode: 2, code: 'switchboard.missingConnection' });
      if (!body.target) cmd.error('error: say where events go: --target-url <url> or --queue (or target in --from-file)', { exitCode: 2, code: 'switchboard.missingTarget' });
      const { client, json } = clientFor(cmd);
      printCreated({ json }, await client.triggers.create(body as CreateTrigger));
    });

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    triggers.command(`${name} <triggerId>`).description(`${enabled ? 'Enable' : 'Disable'} a trigger`).action(async (id: string, _o: unknown, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const t = await client.triggers.update(id, { enabled });
      print({ json }, t, { columns: ['id', 'name', 'status', 'statusMessage'], rows: [{ ...t }] });
    });
  }

  triggers.command('delete <triggerId>').description('Delete a trigger (with its vendor subscription and events)').action(async (id: string, _o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    await client.triggers.delete(id);
    print({ json }, { deleted: id }, { columns: ['deleted'], rows: [{ deleted: id }] });
  });

  triggers
    .command('events <triggerId>')
    .description('Recent events, newest first; --state pending is the pull queue (oldest first), --state dead the dead letters')
    .addOption(new Option('--state <state>', 'only this delivery state').choices(STATES))
    .option('--limit <n>', 'page size', (v) => parsePositive(v, '--limit'), 50)
    .option('--cursor <cursor>', 'the next page, from a previous list')
    .action(async (id: string, opts: { state?: TriggerEventState; limit: number; cursor?: string }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const page = await client.triggers.events(id, { state: opts.state, limit: opts.limit, cursor: opts.cursor });
      printPage({ json }, page, { columns: ['id', 'event', 'state', 'objectId', 'occurredAt', 'attempts', 'lastStatus'], rows: page.items.map((e) => ({ ...e })) });
    });

  triggers
    .command('ack <triggerId> <eventIds...>')
    .description('Acknowledge pull-queue events: they leave the queue')
    .action(async (id: string, eventIds: string[], _o: unknown, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const result = await client.triggers.ack(id, eventIds);
      const rows = [...result.acked.map((e) => ({ id: e, result: 'acked' })), ...result.unknown.map((e) => ({ id: e, result: 'not pending (unknown or acknowledged before)' }))];
      print({ json }, result, { columns: ['id', 'result'], rows });
    });

  triggers
    .command('replay <triggerId> <eventId>')
    .description('Deliver an event again (same id, a new 24-hour retry window)')
    .action(async (id: string, eventId: string, _o: unknown, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      printRecord({ json }, { ...(await client.triggers.replay(id, eventId)) });
    });

  triggers
    .command('test <triggerId>')
    .description('What the trigger would fire, without side effects: polling triggers read the newest records, webhook triggers evaluate --payload')
    .option('--payload <json|@file>', 'webhook triggers: a sample body', (v) => parseJson(v, '--payload'))
    .option('--header <header>', 'webhook triggers: a sample header, "Name: value" (repeatable)', collectHeader)
    .option('--limit <n>', 'polling triggers: how many records to read (at most 50)', (v) => parsePositive(v, '--limit'))
    .action(async (id: string, opts: { payload?: unknown; header?: Record<string, string>; limit?: number }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const result = await client.triggers.test(id, {
        ...(opts.payload !== undefined ? { payload: opts.payload } : {}),
        ...(opts.header ? { headers: opts.header } : {}),
        ...(opts.limit ? { limit: opts.limit } : {}),
      });
      print({ json }, result, {
        columns: ['matchesFilter', 'event', 'objectId', 'occurredAt'],
        rows: result.items.map((i) => ({ matchesFilter: i.matchesFilter, event: i.event.event, objectId: i.event.objectId, occurredAt: i.event.occurredAt })),
      });
      if (!json) process.stderr.write(`filter: ${result.filter ?? '(none: every event passes)'}\n`);
    });

  triggers.command('notices <triggerId>').description('What happened to a trigger (disabled, subscription recreated, dead letters ...)').action(async (id: string, _o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    const notices = await client.triggers.notices(id);
    print({ json }, notices, { columns: ['createdAt', 'type', 'payload'], rows: notices.items.map((n) => ({ ...n, payload: JSON.stringify(n.payload) })) });
  });
}
