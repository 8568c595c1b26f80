import { Readable } from 'node:stream';
import { type ConnectorDefinition, assertValidConnector } from '@switchboard/catalog';
import { ConnectionContext } from '../../src/authentication/context.ts';
import { ActivityExecutor, type ExecutionResult, type VendorErrorMapper } from '../../src/activities/executor.ts';
import { InputValidator } from '../../src/activities/input.ts';
import { BUILT_IN_STEPS, type StepRegistry } from '../../src/activities/steps/index.ts';
import { ActivityDirectory } from '../../src/activities/directory.ts';
import type { ConnectionRow } from '../../src/connections/repository.ts';
import { HostMap } from '../../src/outbound/host-map.ts';
import type { VendorCaller, VendorCallOptions, VendorRequest, VendorResponse } from '../../src/outbound/vendor-call.ts';
import { Problem } from '../../src/problems/problem.ts';

export interface FakeReply {
  status?: number;
  json?: unknown;
  text?: string;
  bytes?: Buffer;
  headers?: Record<string, string>;
}

export interface SentRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** The body as text (UTF-8), for assertions. */
  text: string | undefined;
  options: VendorCallOptions;
}

/**
 * A VendorCaller that answers from a function and remembers every request, so tests see exactly
 * what the runtime would have sent to the vendor.
 */
export class FakeVendor implements VendorCaller {
  readonly sent: SentRequest[] = [];
  constructor(public answer: (request: SentRequest, index: number) => FakeReply = () => ({ status: 200, json: {} })) {}

  async send(_connection: ConnectionRow, request: VendorRequest, options: VendorCallOptions): Promise<VendorResponse> {
    const sent: SentRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: { ...request.headers },
      body: request.body,
      text: request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8'),
      options,
    };
    this.sent.push(sent);
    const reply = this.answer(sent, this.sent.length - 1);
    const headers: Record<string, string> = { ...(reply.json !== undefined ? { 'content-type': 'application/json' } : {}), ...reply.headers };
    const body = reply.bytes ?? (reply.json !== undefined ? Buffer.from(JSON.stringify(reply.json)) : Buffer.from(reply.text ?? ''));
    // Like the vendor client: a streamed answer leaves the body unread, whatever its status.
    if (options.stream) return { status: reply.status ?? 200, headers, body: Buffer.alloc(0), stream: Readable.from([body]), url: sent.url, attempts: 1, durationMs: 1 };
    return { status: reply.status ?? 200, headers, body, ...(reply.json !== undefined ? { json: reply.json } : {}), url: sent.url, attempts: 1, durationMs: 1 };
  }
}

/** Maps vendor errors the simplest faithful way, for unit tests of the runtime alone. */
export const testVendorError: VendorErrorMapper = (response) =>
  new Problem('ACTIVITY_UNEXPECTED_RESPONSE', `vendor said ${response.status}`, { status: response.status, extensions: { vendorStatus: response.status, vendorBody: response.json ?? null } });

export const FAKE_ROW = { id: '00000000-0000-4000-8000-000000000001', connector_key: 'acme', auth_type: 'api-key', status: 'Connected' } as ConnectionRow;

/** The executor, the directory and the validator wired on a fake connector and a fake vendor, as the runtime wires them. */
export function harness(definition: unknown, options: { values?: Record<string, unknown>; hostMap?: HostMap; steps?: StepRegistry } = {}) {
  const def: ConnectorDefinition = assertValidConnector(definition, 'test');
  const vendor = new FakeVendor();
  const executor = new ActivityExecutor({ vendor, hostMap: options.hostMap ?? new HostMap(), vendorError: testVendorError, steps: options.steps ?? BUILT_IN_STEPS, sleep: async () => {} });
  const directory = new ActivityDirectory();
  const validator = new InputValidator();
  const ctx = new ConnectionContext(def, def.auth[0]!, options.values ?? { apiKey: 'k' });
  return {
    def,
    vendor,
    directory,
    validator,
    /** Validates like the runtime, then executes. */
    async run(key: string, input: Record<string, unknown> = {}, wantFile = false): Promise<ExecutionResult> {
      const entry = directory.get(def, key);
      if (!entry) throw new Error(`no activity ${key}`);
      const checked = validator.check(entry.definition.input, input);
      const step = entry.definition.handler ? (options.steps ?? BUILT_IN_STEPS).get(entry.definition.handler) : undefined;
      step?.check?.({ connector: def, activity: entry.definition, input: checked });
      return executor.execute({ connector: def, activity: entry.definition, input: checked, row: FAKE_ROW, ctx, requestId: 'req-1', wantFile });
    },
  };
}
