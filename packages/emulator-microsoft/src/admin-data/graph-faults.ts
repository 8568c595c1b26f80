/**
 * Admin inputs for Graph faults (throttling, latency) and change-log queries, validated into the
 * records EmulatorState keeps.
 */
import { LISTENER_NAMES, type ListenerName } from '../clouds.ts';
import type { ChangeFilter, ChangeResource } from '../data/change-log.ts';
import { InputError, object, oneOf, optionalNumber, optionalString } from '../input.ts';
import type { GraphLatency, GraphThrottleFault } from '../model.ts';

export interface GraphThrottleInput {
  /** How many Graph requests are refused (default 1). */
  count?: number;
  /** 429 TooManyRequests (default) or 503. */
  status?: 429 | 503;
  /** The Retry-After header, in seconds (default 10, as in the documentation's sample). */
  retryAfterSeconds?: number;
  /** Only requests whose path contains this, e.g. `/messages` (case-insensitive). */
  path?: string;
  method?: string;
  cloud?: ListenerName;
}

export interface GraphLatencyInput {
  ms: number;
  path?: string;
  cloud?: ListenerName;
}

export interface ChangeQuery {
  /** Owner of the data (id or userPrincipalName). */
  user?: string;
  resource?: ChangeResource;
  /** Folder, calendar, drive folder or list id. */
  container?: string;
  /** Only entries after this sequence number. */
  since?: number;
}

export function readThrottleFault(input: GraphThrottleInput): GraphThrottleFault {
  const o = object(input, 'fault');
  const status = optionalNumber(o, 'status', 'fault', 400) ?? 429;
  if (status !== 429 && status !== 503) throw new InputError('fault.status must be 429 or 503');
  const path = optionalString(o, 'path', 'fault');
  const method = optionalString(o, 'method', 'fault');
  const cloud = oneOf(o, 'cloud', 'fault', LISTENER_NAMES);
  return {
    remaining: Math.floor(optionalNumber(o, 'count', 'fault', 1) ?? 1),
    status,
    retryAfterSeconds: optionalNumber(o, 'retryAfterSeconds', 'fault', 0) ?? 10,
    ...(path ? { path } : {}),
    ...(method ? { method } : {}),
    ...(cloud ? { cloud } : {}),
  };
}

export function readLatencyRules(rules: GraphLatencyInput | GraphLatencyInput[]): GraphLatency[] {
  const list = Array.isArray(rules) ? rules : [rules];
  return list.map((r, i) => {
    const o = object(r, `latency[${i}]`);
    const ms = optionalNumber(o, 'ms', `latency[${i}]`, 0);
    if (ms === undefined) throw new InputError(`latency[${i}].ms is required`);
    const path = optionalString(o, 'path', `latency[${i}]`);
    const cloud = oneOf(o, 'cloud', `latency[${i}]`, LISTENER_NAMES);
    return { ms, ...(path ? { path } : {}), ...(cloud ? { cloud } : {}) };
  });
}

export function readChangeQuery(query: ChangeQuery, userId: (ref: string) => string): { since: number; filter: ChangeFilter } {
  const o = object(query, 'query');
  const filter: ChangeFilter = {};
  const user = optionalString(o, 'user', 'query');
  if (user) filter.userId = userId(user);
  const resource = optionalString(o, 'resource', 'query');
  if (resource) filter.resource = resource as ChangeResource;
  const container = optionalString(o, 'container', 'query');
  if (container) filter.container = container;
  return { since: optionalNumber(o, 'since', 'query', 0) ?? 0, filter };
}
