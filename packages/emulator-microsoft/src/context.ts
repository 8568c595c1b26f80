/**
 * The runtime context route modules receive: shared state and key, plus which listener they are
 * mounted on. Per-request data lives in a WeakMap rather than a Fastify decoration so this
 * package does not augment Fastify's global types for the rest of the monorepo.
 */
import type { FastifyRequest } from 'fastify';
import { LOGIN_CLOUDS, listenerHosts, type ListenerDef, type ListenerName, type LoginCloud } from './clouds.ts';
import type { SigningKey } from './keys.ts';
import type { ChangeNotifications } from './notifications/service.ts';
import type { RequestLogEntry } from './request-log.ts';
import type { EmulatorState } from './state.ts';

export interface EmulatorContext {
  state: EmulatorState;
  key: SigningKey;
  /** Advertise the vendor hosts (https://login.microsoftonline.us/...) instead of local origins. */
  advertiseRealHosts: boolean;
  /** Where pre-authenticated upload, download and copy-monitor URLs point (see StartMicrosoftEmulatorOptions). */
  transferLinks: 'listener' | 'sharepoint';
  /** Local origin of each listener, known once it is bound. */
  origins: Record<ListenerName, string>;
  /** Subscription validation and change-notification delivery. */
  notifications: ChangeNotifications;
}

export interface ListenerContext {
  def: ListenerDef;
  emu: EmulatorContext;
}

export function loginCloudOf(l: ListenerContext): LoginCloud {
  if (!l.def.login) throw new Error(`listener ${l.def.name} serves no authority`);
  return LOGIN_CLOUDS[l.def.login];
}

/** Base URL for endpoints this listener advertises for its authority (discovery, forms). */
export function loginBase(l: ListenerContext): string {
  return l.emu.advertiseRealHosts ? `https://${loginCloudOf(l).host}` : l.emu.origins[l.def.name];
}

/** Base URL for Graph links this listener hands out (`@odata.context`, later `@odata.nextLink`). */
export function graphBase(l: ListenerContext): string {
  return l.emu.advertiseRealHosts ? l.def.graphRoot : l.emu.origins[l.def.name];
}

export interface RequestInfo {
  log?: RequestLogEntry;
  requestId?: string;
  clientRequestId?: string;
  /** The request body as received, for endpoints that take raw content. */
  rawBody?: Buffer;
}

/**
 * The origin a client used to reach this listener, for links it must follow (nextLink, upload
 * and download URLs). Through Switchboard's host map the request arrives at 127.0.0.1:port, and
 * the link must point back there; a proxy that kept the vendor Host gets the https vendor URL.
 */
export function requestOrigin(l: ListenerContext, req: FastifyRequest): string {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!host) return l.emu.origins[l.def.name];
  return listenerHosts(l.def).includes(host) ? `https://${host}` : `http://${host}`;
}

const infos = new WeakMap<FastifyRequest, RequestInfo>();

export function requestInfo(req: FastifyRequest): RequestInfo {
  let info = infos.get(req);
  if (!info) {
    info = {};
    infos.set(req, info);
  }
  return info;
}
