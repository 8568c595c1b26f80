import type { HttpMethod } from '@switchboard/sdk';
import type { Command } from 'commander';
import { collectHeader, parseJson, parseJsonObject } from '../arguments.ts';
import { clientFor } from '../client.ts';
import { print } from '../output.ts';

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export function activitiesCommand(program: Command): void {
  const activities = program.command('activities').description("Run a connector's activities, or any request of its API, as a connection");

  activities.command('list <connector>').description("List a connector's activities").action(async (connector: string, _o: unknown, cmd: Command) => {
    const { client, json } = clientFor(cmd);
    const list = await client.activities.list(connector);
    print({ json }, list, { columns: ['key', 'displayName', 'kind', 'category', 'object', 'paginated'], rows: list.items.map((a) => ({ ...a })) });
    if (!json && list.httpRequest.offered) process.stderr.write('\nThe HTTP Request is offered too: `switchboard activities http <connectionId> <method> <path>`.\n');
  });

  activities
    .command('show <connector> <activity>')
    .description('Show one activity with its input and output schemas (always JSON: it is a document)')
    .action(async (connector: string, activity: string, _o: unknown, cmd: Command) => {
      const { client } = clientFor(cmd);
      print({ json: true }, await client.activities.get(connector, activity));
    });

  activities
    .command('run <connectionId> <activity>')
    .description('Run an activity; prints its output (with --json, the output and its meta)')
    .option('--input <json|@file>', "the activity's input, a JSON object (`@-` reads standard input)", (v) => parseJsonObject(v, '--input'), {})
    .action(async (connectionId: string, activity: string, opts: { input: Record<string, unknown> }, cmd: Command) => {
      const { client, json } = clientFor(cmd);
      const result = await client.activities.run(connectionId, activity, opts.input);
      if (json) return print({ json }, result);
      // The output is a document whatever the activity: JSON on stdout, the call's facts on stderr.
      print({ json: true }, result.output);
      const { meta } = result;
      process.stderr.write(`requestId ${meta.requestId}, ${meta.calls} call(s), ${meta.pages} page(s), ${Math.round(meta.durationMs)} ms\n`);
      if (meta.truncated) process.stderr.write(`truncated (${meta.truncated.reason}): ${meta.truncated.message}\n`);
    });

  activities
    .command('http <connectionId> <method> <path>')
    .description("Send an HTTP request relative to the connection's base URL, with its credentials added")
    .option('--query <json|@file>', 'query parameters, a JSON object', (v) => parseJsonObject(v, '--query'))
    .option('--header <header>', 'a request header, "Name: value" (repeatable)', collectHeader)
    .option('--body <json|@file>', 'the request body, JSON', (v) => parseJson(v, '--body'))
    .action(async (connectionId: string, method: string, path: string, opts: { query?: Record<string, string>; header?: Record<string, string>; body?: unknown }, cmd: Command) => {
      const verb = method.toUpperCase() as HttpMethod;
      if (!METHODS.includes(verb)) cmd.error(`error: method "${method}" must be one of ${METHODS.join(', ')}`, { exitCode: 2, code: 'switchboard.invalidMethod' });
      const { client, json } = clientFor(cmd);
      const response = await client.activities.http(connectionId, {
        method: verb,
        path,
        ...(opts.query ? { query: opts.query } : {}),
        ...(opts.header ? { headers: opts.header } : {}),
        ...(opts.body !== undefined ? { body: opts.body } : {}),
      });
      if (json) return print({ json }, response);
      // Like curl: the vendor's status is information, not a failure of this command.
      process.stderr.write(`HTTP ${response.status} (${response.bodyEncoding}, ${response.meta.attempts} attempt(s), ${response.meta.durationMs} ms)\n`);
      if (response.bodyEncoding === 'json') print({ json: true }, response.body);
      else if (response.bodyEncoding !== 'none') process.stdout.write(`${String(response.body)}\n`);
    });
}
