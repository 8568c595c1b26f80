import { SwitchboardClient } from '@switchboard/sdk';
import type { Command } from 'commander';

export interface GlobalOptions {
  url: string;
  apiKey?: string;
  json: boolean;
}

/** API commands talk to a running service, like any other client, through the SDK. */
export function clientFor(command: Command): { client: SwitchboardClient; json: boolean } {
  const opts = command.optsWithGlobals<GlobalOptions>();
  return { client: new SwitchboardClient({ baseUrl: opts.url, apiKey: opts.apiKey }), json: opts.json };
}
