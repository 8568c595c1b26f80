import type { ActivityDefinition, ConnectorDefinition, PaginationDefinition, RequestDefinition } from '@switchboard/catalog';
import type { HttpMethod, VendorResponse } from '../../outbound/vendor-call.ts';
import type { Truncation } from '../pagination.ts';

/** Options of the declarative run a step may start, each changing one thing of the definition's. */
export interface RunOptions {
  /** Another input than the call's (e.g. one child folder). */
  input?: Record<string, unknown>;
  /** Another request than the activity's (e.g. the same list on another path). */
  request?: RequestDefinition;
  /** Query parameters added after the request is compiled (e.g. a $filter compiled from where). */
  query?: Record<string, string>;
  /** null: one request, no paging. */
  pagination?: PaginationDefinition | null;
  /** Apply response.expr (default true). */
  shape?: boolean;
  maxRecords?: number;
}

export interface UrlRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  idempotent?: boolean;
}

/**
 * What a step can do. Everything goes through the same compile/send/page/error path as a
 * declarative activity, so a step only adds the control flow one request cannot express.
 */
export interface StepContext {
  readonly connector: ConnectorDefinition;
  readonly activity: ActivityDefinition;
  /** The validated input, defaults filled in. */
  readonly input: Record<string, unknown>;
  /** The declarative behaviour (compile, send, page, shape), optionally varied. */
  run(options?: RunOptions): Promise<unknown>;
  /**
   * One request from a definition (templates, variables and expressions as in the connector),
   * sent as the connection. Vendor error statuses throw the vendor problem, unless `accept`
   * lists them.
   */
  call(request: RequestDefinition, input?: Record<string, unknown>, options?: { accept?: number[] }): Promise<VendorResponse>;
  /**
   * A request to an absolute URL the vendor handed out (an upload session, a monitor). On the
   * base URL's origin it carries the connection's credentials; elsewhere the vendor client
   * sends it without them, as such URLs are pre-authorised.
   */
  callUrl(request: UrlRequest, options?: { accept?: number[] }): Promise<VendorResponse>;
  /** Says that the output stops short of everything the vendor has. */
  truncate(truncation: Truncation): void;
  /** Waits (between polls of a long-running vendor operation). */
  sleep(ms: number): Promise<void>;
}

/**
 * A named runtime step: the few activities whose work takes several dependent requests (an
 * upload session, a read-modify-write, walking child folders). The connector names it in
 * `handler`; the step returns the activity's output.
 */
export type Step = (ctx: StepContext) => Promise<unknown>;
