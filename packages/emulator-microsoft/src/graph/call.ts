/**
 * What a Graph route handler gets: the authenticated principal, the route match (anchors, keys,
 * function arguments), query options, Prefer preferences and the body; and what it returns: a
 * status with a JSON, text or binary body. Handlers never touch the Fastify reply, which keeps
 * them the same whether the request came over HTTP or out of a $batch.
 */
import type { FastifyRequest } from 'fastify';
import { InvalidJsonBody, rawBody } from '../body.ts';
import { graphBase, requestOrigin, type ListenerContext } from '../context.ts';
import type { GraphStore } from '../data/store.ts';
import type { Json } from '../input.ts';
import type { Principal } from './auth.ts';
import { GraphErrors } from './errors.ts';
import { parsePrefer, type Preferences } from './odata/prefer.ts';
import type { RouteMatch } from './router/match.ts';

export interface GraphResult {
  status: number;
  /** JSON value, or a Buffer / string sent with `type`. Absent for 202/204 with no body. */
  body?: unknown;
  type?: string;
  headers?: Record<string, string>;
}

export type GraphHandler = (call: GraphCall) => GraphResult | Promise<GraphResult>;

/** Query options Graph also accepts without the `$` prefix. */
const SYSTEM_OPTIONS = ['select', 'filter', 'orderby', 'top', 'skip', 'count', 'search', 'expand', 'skiptoken'];

export class GraphCall {
  readonly query: Map<string, string>;
  readonly prefer: Preferences;
  /** Preferences honoured, for the Preference-Applied header. */
  readonly applied: string[] = [];

  constructor(
    readonly l: ListenerContext,
    readonly req: FastifyRequest,
    readonly principal: Principal,
    readonly match: RouteMatch,
    /** The URL path as requested, e.g. `/v1.0/me/messages` (for nextLink). */
    readonly path: string,
  ) {
    this.query = new Map();
    const search = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    for (const [k, v] of new URLSearchParams(search)) {
      const lower = k.toLowerCase();
      const name = SYSTEM_OPTIONS.includes(lower) ? `$${lower}` : lower;
      if (!this.query.has(name)) this.query.set(name, v);
    }
    this.prefer = parsePrefer(req.headers.prefer);
  }

  get store(): GraphStore {
    return this.l.emu.state.data;
  }

  now(): number {
    return this.l.emu.state.now();
  }

  /** A query option (`$filter`) or parameter (`startDateTime`), case-insensitively. */
  option(name: string): string | undefined {
    return this.query.get(name.toLowerCase());
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  param(name: string): string {
    const v = this.match.params[name];
    if (v === undefined) throw new Error(`route has no parameter ${name}`);
    return v;
  }

  /** The JSON object body; an absent body is `{}` (actions such as /send take none). */
  json(): Json {
    const b = this.req.body;
    if (b instanceof InvalidJsonBody) throw GraphErrors.invalidJson();
    if (b === undefined || b === null || Buffer.isBuffer(b)) {
      if (Buffer.isBuffer(b) && b.length > 0) throw GraphErrors.invalidJson();
      return {};
    }
    if (typeof b !== 'object' || Array.isArray(b)) throw GraphErrors.invalidJson();
    return b as Json;
  }

  raw(): Buffer {
    return rawBody(this.req);
  }

  /** Where links the client follows point: the host it used (see requestOrigin). */
  get origin(): string {
    return requestOrigin(this.l, this.req);
  }

  /** The service root `@odata.context` names. */
  get metadata(): string {
    return `${graphBase(this.l)}/v1.0/$metadata`;
  }

  /** Records a preference as applied (echoed in Preference-Applied). */
  apply(preference: string): void {
    if (!this.applied.includes(preference)) this.applied.push(preference);
  }
}
