import type { Readable } from 'node:stream';
import type { ActivityDefinition, ConnectorDefinition, PaginationDefinition, RequestDefinition } from '@switchboard/catalog';
import type { ConnectionContext } from '../authentication/context.ts';
import type { ConnectionRow } from '../connections/repository.ts';
import type { HostMap } from '../outbound/host-map.ts';
import type { VendorCaller, VendorRequest, VendorResponse } from '../outbound/vendor-call.ts';
import { Problem } from '../problems/problem.ts';
import { onBaseOrigin } from './links.ts';
import { type Truncation, fetchPages } from './pagination.ts';
import { compileRequest } from './request.ts';
import { bodyOf, fileNameOf, fileOutput, shapeOutput } from './response.ts';
import { ActivityScope } from './scope.ts';
import type { RunOptions, StepContext, UrlRequest } from './steps/step.ts';
import type { StepRegistry } from './steps/index.ts';

/**
 * Turns a vendor error response into the problem the caller sees (VENDOR_* codes, the vendor's
 * status, code and message kept). The vendor client owns this mapping; the runtime only uses it.
 */
export type VendorErrorMapper = (response: VendorResponse, context: { connector: ConnectorDefinition; operation: string; request: VendorRequest }) => Problem;

export interface ExecutorDeps {
  vendor: VendorCaller;
  hostMap: HostMap;
  vendorError: VendorErrorMapper;
  steps: StepRegistry;
  sleep?: (ms: number) => Promise<void>;
}

export interface Execution {
  connector: ConnectorDefinition;
  activity: ActivityDefinition;
  /** Validated, defaults filled in. */
  input: Record<string, unknown>;
  row: ConnectionRow;
  ctx: ConnectionContext;
  requestId: string;
  /** The caller wants a binary activity's bytes as they are rather than base64 in JSON. */
  wantFile?: boolean;
}

export interface FileResult {
  /** The bytes as the vendor sends them (read on the way out), or already read. */
  stream?: Readable;
  bytes?: Buffer;
  contentType: string;
  /** Known only when the vendor sent one. */
  size?: number;
  fileName: string | null;
}

export interface ExecutionResult {
  output: unknown;
  file?: FileResult;
  /** List pages fetched (a single response is one page). */
  pages: number;
  /** Every vendor request the activity sent. */
  calls: number;
  truncated?: Truncation;
}

/**
 * Runs one activity for one connection: the declarative path (compile the request, send it
 * through the vendor client, page, shape the output) or the activity's named step, which uses
 * the same path for each of its requests.
 */
export class ActivityExecutor {
  constructor(private readonly deps: ExecutorDeps) {}

  async execute(e: Execution): Promise<ExecutionResult> {
    const call = new ActivityCall(this.deps, e);
    const step = e.activity.handler ? this.deps.steps.get(e.activity.handler) : undefined;
    if (e.activity.handler && !step) throw new Problem('ACTIVITY_DEFINITION_ERROR', `The activity ${e.activity.key} names the step "${e.activity.handler}", which this service does not have.`);
    const output = step ? await step.run(call) : await call.run();
    // A composite step that made only single calls still produced one result page.
    const pages = call.pages || (call.calls > 0 ? 1 : 0);
    return { output: output === undefined ? null : output, ...(call.file ? { file: call.file } : {}), pages, calls: call.calls, ...(call.truncated ? { truncated: call.truncated } : {}) };
  }
}

class ActivityCall implements StepContext {
  pages = 0;
  calls = 0;
  truncated: Truncation | undefined;
  file: FileResult | undefined;
  private readonly baseUrl: string;

  constructor(
    private readonly deps: ExecutorDeps,
    private readonly e: Execution,
  ) {
    const base = e.ctx.baseUrl();
    if (!base) throw new Problem('ACTIVITY_DEFINITION_ERROR', `The connector ${e.connector.key} has no base URL for activities.`);
    this.baseUrl = base;
  }

  get connector(): ConnectorDefinition {
    return this.e.connector;
  }

  get activity(): ActivityDefinition {
    return this.e.activity;
  }

  get input(): Record<string, unknown> {
    return this.e.input;
  }

  truncate(truncation: Truncation): void {
    this.truncated ??= truncation;
  }

  sleep(ms: number): Promise<void> {
    return this.deps.sleep ? this.deps.sleep(ms) : new Promise((resolve) => setTimeout(resolve, ms));
  }

  private compile(request: RequestDefinition, input: Record<string, unknown>): Promise<VendorRequest> {
    return compileRequest(request, {
      scope: new ActivityScope(this.e.ctx, this.e.activity, input),
      input,
      inputSchema: this.e.activity.input,
      baseUrl: this.baseUrl,
      where: `activity ${this.e.activity.key}`,
    });
  }

  /**
   * Sends one request as the connection. Success is the request's expectStatus, else any 2xx;
   * `accept` adds statuses the caller handles itself. Error statuses become the vendor problem.
   */
  private async send(request: VendorRequest, options: { expect?: number[] | undefined; accept?: number[] | undefined; binary?: boolean; stream?: boolean } = {}): Promise<VendorResponse> {
    this.calls++;
    const response = await this.deps.vendor.send(this.e.row, request, {
      requestId: this.e.requestId,
      operation: this.e.activity.key,
      kind: 'activity',
      ...(options.binary ? { expectBinary: true } : {}),
      ...(options.stream ? { stream: true } : {}),
    });
    if (options.accept?.includes(response.status)) return response;
    const ok = options.expect ? options.expect.includes(response.status) : response.status >= 200 && response.status < 300;
    if (ok) return response;
    if (response.stream) {
      // An error answer to a streamed download: read it (it is small) so the problem can quote it.
      const chunks: Buffer[] = [];
      for await (const chunk of response.stream) chunks.push(Buffer.from(chunk as Uint8Array));
      const body = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = /json/i.test(response.headers['content-type'] ?? '') && body.length ? JSON.parse(body.toString('utf8')) : undefined;
      } catch {
        json = undefined;
      }
      Object.assign(response, { body, stream: undefined, ...(json !== undefined ? { json } : {}) });
    }
    if (response.status >= 200 && response.status < 300) {
      throw new Problem('ACTIVITY_UNEXPECTED_RESPONSE', `The vendor answered ${response.status}; the activity ${this.e.activity.key} expects ${options.expect?.join(' or ')}.`, { extensions: { vendorStatus: response.status } });
    }
    throw this.deps.vendorError(response, { connector: this.e.connector, operation: this.e.activity.key, request });
  }

  async run(options: RunOptions = {}): Promise<unknown> {
    const definition = options.request ?? this.e.activity.request;
    const input = options.input ?? this.e.input;
    const request = await this.compile(definition, input);
    for (const [name, value] of Object.entries(options.query ?? {})) request.url.searchParams.set(name, value);

    if (this.e.activity.response?.binary) {
      // Asked for the bytes: they stream from the vendor to the caller, not limited by the JSON cap.
      const response = await this.send(request, { expect: definition.expectStatus, binary: true, stream: this.e.wantFile === true });
      this.pages++;
      if (this.e.wantFile) {
        const length = Number(response.headers['content-length']);
        this.file = {
          ...(response.stream ? { stream: response.stream } : { bytes: response.body }),
          contentType: response.headers['content-type'] ?? 'application/octet-stream',
          ...(Number.isFinite(length) && response.headers['content-length'] !== undefined ? { size: length } : response.stream ? {} : { size: response.body.length }),
          fileName: fileNameOf(response.headers['content-disposition']),
        };
        return null;
      }
      return fileOutput(response);
    }

    const pagination = options.pagination === null ? undefined : (options.pagination ?? defaultPagination(this.e.connector, this.e.activity, request.method));
    const maxRecords = options.maxRecords ?? (typeof input.maxRecords === 'number' ? input.maxRecords : undefined);
    const paged = await fetchPages(request, pagination, {
      send: (r) => this.send(r, { expect: definition.expectStatus }),
      maxRecords,
      follow: (url) => onBaseOrigin(url, this.baseUrl, this.deps.hostMap),
    });
    this.pages += paged.pages;
    if (paged.kind === 'records' && paged.truncated) this.truncate(paged.truncated);
    const data = paged.kind === 'single' ? bodyOf(paged.response) : paged.records;
    if (options.shape === false) return data;
    return shapeOutput(this.e.activity, data, input, paged.kind === 'single' ? paged.response : paged.last);
  }

  async call(request: RequestDefinition, input: Record<string, unknown> = this.e.input, options: { accept?: number[] } = {}): Promise<VendorResponse> {
    const compiled = await this.compile(request, input);
    return this.send(compiled, { expect: request.expectStatus, accept: options.accept });
  }

  async callUrl(request: UrlRequest, options: { accept?: number[] } = {}): Promise<VendorResponse> {
    const url = new URL(request.url);
    const target = onBaseOrigin(url, this.baseUrl, this.deps.hostMap) ?? url;
    return this.send(
      { method: request.method, url: target, headers: request.headers ?? {}, ...(request.body !== undefined ? { body: request.body } : {}), idempotent: request.idempotent ?? false },
      { accept: options.accept },
    );
  }
}

/**
 * The activity's pagination, else the connector's default for list reads only: a GET whose
 * output is an array. A single record or a POST that answers with a list is one request.
 */
export function defaultPagination(connector: ConnectorDefinition, activity: ActivityDefinition, method: string = activity.request.method): PaginationDefinition | undefined {
  if (activity.pagination) return activity.pagination;
  return method === 'GET' && activity.output.type === 'array' ? connector.pagination : undefined;
}
