import '../authentication/errors.ts'; // registers VENDOR_UNREACHABLE, CONNECTION_NOT_ENABLED, TOKEN_REFRESH_FAILED
import { type Readable, Transform, pipeline } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import type { ConnectionRow } from '../connections/repository.ts';
import type { ConnectionAccess } from '../connections/service.ts';
import { Problem } from '../problems/problem.ts';
import type { ActivityRecorder } from '../usage/recorder.ts';
import { PrivateHosts } from './address-policy.ts';
import { AccessCache } from './access-cache.ts';
import { failureOf, findDestinationRefused, problemForFailure } from './call-failures.ts';
import { type CallProfile, type ProfileDefaults, buildProfile } from './call-profile.ts';
import { type RecordedCall, bodyText, callRecord } from './call-record.ts';
import { ConnectionLimiter } from './connection-limiter.ts';
import { requestHeaders, withQueryCredentials, withoutCredentialValues } from './credential-placement.ts';
import { Destinations, type Resolver } from './destinations.ts';
import { endToEndHeaders, isJsonType } from './headers.ts';
import type { HostMap } from './host-map.ts';
import { MAX_REDIRECTS, mayFollowAcrossOrigins, nextHop } from './redirects.ts';
import { readBody } from './response-body.ts';
import { backoffMs, isIdempotent, isRetryableStatus, nextWaitMs, quotaResetMs, vendorWaitMs } from './retry-policy.ts';
import type { VendorCallOptions, VendorCaller, VendorRequest, VendorResponse } from './vendor-call.ts';
import { vendorErrorCode } from './vendor-problems.ts';

/** What the client needs from the connections stage: credentials, renewed when `rejected`. */
export interface ConnectionAccessSource {
  access(row: ConnectionRow, options?: { rejected?: string }): Promise<ConnectionAccess>;
}

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface VendorClientOptions {
  connections: ConnectionAccessSource;
  recorder: ActivityRecorder;
  hostMap: HostMap;
  /** SWITCHBOARD_PRIVATE_HOSTS: host names that may resolve to private addresses. */
  privateHosts?: string[] | undefined;
  /** DNS resolution of vendor hosts; tests point names anywhere with it. */
  resolve?: Resolver | undefined;
  /** Time limit of one call, waits and retries included (SWITCHBOARD_ACTIVITY_TIMEOUT_MS). */
  timeoutMs?: number | undefined;
  maxJsonBytes?: number | undefined;
  maxBodyBytes?: number | undefined;
  /** Attempts when the connector declares none. */
  maxAttempts?: number | undefined;
  retryBaseDelayMs?: number | undefined;
  retryMaxDelayMs?: number | undefined;
  /** Most time one call spends waiting between attempts. */
  maxTotalWaitMs?: number | undefined;
  /** How long a connection's credentials are reused without reading the store again. */
  accessCacheMs?: number | undefined;
  /** Tests replace the waits between attempts to see them without spending them. */
  sleep?: Sleep | undefined;
  random?: (() => number) | undefined;
  log?: { warn(obj: object, msg: string): void } | undefined;
}

const realSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

interface Exchange {
  res: Dispatcher.ResponseData;
  /** The URL that answered (after redirects). */
  url: URL;
  /** Whether the answering request carried the connection's credentials. */
  credentialed: boolean;
  method: VendorRequest['method'];
}

/** One send(): what is known so far, for the record written at the end. */
interface CallState extends RecordedCall {
  profile: CallProfile | undefined;
  wantsBodies: boolean;
}

/**
 * The vendor client: sends a request as a connection, and is the one place that decides how.
 *
 * - Credentials go only to the connection's base URL origin; redirects are followed by hand
 *   (at most 5) and never carry them to another origin.
 * - Every destination passes the SSRF rule of `Destinations`, checked on the address the
 *   socket connects to.
 * - An expired-token status renews the token once and repeats the request.
 * - Retries: network errors and 5xx for idempotent requests, 429/503 for any; full-jitter
 *   backoff, or exactly what Retry-After / RateLimit-Reset ask, within a total wait budget.
 * - Per-connection concurrency cap and token bucket (`http.rateLimit`); calls queue.
 * - One time limit per call; bodies read with a size cap; every call recorded, URL redacted.
 */
export class VendorClient implements VendorCaller {
  readonly destinations: Destinations;
  private readonly limiter = new ConnectionLimiter();
  private readonly cache: AccessCache<CallProfile>;
  private readonly defaults: ProfileDefaults;
  private readonly timeoutMs: number;
  private readonly maxJsonBytes: number;
  private readonly maxBodyBytes: number;
  private readonly sleep: Sleep;
  private readonly random: () => number;

  constructor(private readonly options: VendorClientOptions) {
    this.destinations = new Destinations(options.hostMap, new PrivateHosts(options.privateHosts ?? []), options.resolve);
    this.cache = new AccessCache(options.accessCacheMs ?? 5_000);
    this.defaults = {
      maxAttempts: options.maxAttempts ?? 3,
      baseDelayMs: options.retryBaseDelayMs ?? 500,
      maxDelayMs: options.retryMaxDelayMs ?? 30_000,
      maxTotalWaitMs: options.maxTotalWaitMs ?? 60_000,
    };
    this.timeoutMs = options.timeoutMs ?? 90_000;
    this.maxJsonBytes = options.maxJsonBytes ?? 8 * 1024 * 1024;
    this.maxBodyBytes = options.maxBodyBytes ?? 25 * 1024 * 1024;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
  }

  async send(row: ConnectionRow, request: VendorRequest, options: VendorCallOptions): Promise<VendorResponse> {
    const recorder = this.options.recorder;
    // The quota check comes first: a call over quota is not sent and not recorded.
    if (recorder.beforeCall) await recorder.beforeCall({ tenantId: row.tenant_id, kind: options.kind });
    const wantsBodies = recorder.wantsBodies?.(row.id) ?? false;
    const state: CallState = {
      row, request, options, at: new Date(), started: performance.now(), attempts: 0, profile: undefined, wantsBodies, credentialParams: [],
      requestBody: wantsBodies ? bodyText(request.body, request.headers['content-type']) : undefined,
    };
    if (request.url.protocol !== 'http:' && request.url.protocol !== 'https:') {
      throw this.fail(state, new Problem('DESTINATION_NOT_ALLOWED', `Only http and https URLs can be called, not ${request.url.protocol}.`));
    }

    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const deadline = new AbortController();
    const expiresAt = Date.now() + timeoutMs;
    const timer = setTimeout(() => deadline.abort(new Error('deadline')), timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
    let streaming = false;
    try {
      return await this.attempts(state, signal, deadline.signal, expiresAt, () => {
        // A streamed body may take longer than the call's limit; undici's idle timeout guards it.
        streaming = true;
        clearTimeout(timer);
      });
    } finally {
      if (!streaming) clearTimeout(timer);
    }
  }

  private async attempts(state: CallState, signal: AbortSignal, deadline: AbortSignal, expiresAt: number, onStream: () => void): Promise<VendorResponse> {
    const { row, request, options } = state;
    const idempotent = isIdempotent(request.method, request.idempotent);
    let profile: CallProfile;
    try {
      profile = await this.profileFor(row);
    } catch (error) {
      throw this.fail(state, this.asProblem(error, state, deadline));
    }
    state.profile = profile;
    state.credentialParams = profile.credentialQuery.map(([name]) => name);
    let renewed = false;
    let waited = 0;

    for (;;) {
      state.attempts++;
      let release: (() => void) | undefined;
      const free = () => {
        release?.();
        release = undefined;
      };
      try {
        release = await this.limiter.acquire(row.id, profile.limits, signal);
        const ex = await this.exchange(profile, request, signal, options.stream === true);
        const status = ex.res.statusCode;

        // The token expired early (revoked, rotated elsewhere): renew once, then repeat the call.
        if (!renewed && ex.credentialed && profile.access.tokens && profile.expiredStatuses.includes(status)) {
          discard(ex.res);
          free();
          renewed = true;
          profile = await this.renewedProfile(row, profile);
          state.profile = profile;
          continue;
        }

        const used = state.attempts - (renewed ? 1 : 0);
        if (used < profile.retry.maxAttempts && isRetryableStatus(status, idempotent, profile.retry)) {
          const wait = nextWaitMs(used, ex.res.headers, profile.retry, Date.now(), this.random);
          if (waited + wait <= profile.retry.maxTotalWaitMs && Date.now() + wait < expiresAt) {
            discard(ex.res);
            free();
            waited += wait;
            await this.sleep(wait, signal);
            continue;
          }
        }

        this.noteVendorPause(row.id, profile, status, ex.res.headers);
        if (options.stream) {
          onStream();
          return this.streamed(state, ex, free);
        }
        const response = await this.buffered(state, ex, options);
        free();
        if (state.wantsBodies) state.responseBody = bodyText(response.body, response.headers['content-type']);
        this.record(state, response.status, response.status >= 400 ? vendorErrorCode(response.status) : null, response.body.length);
        return response;
      } catch (error) {
        free();
        if (error instanceof Problem) {
          if (error.code === 'CONNECTION_NOT_ENABLED') this.cache.invalidate(row.id);
          throw this.fail(state, error);
        }
        const failure = failureOf(error, deadline);
        const used = state.attempts - (renewed ? 1 : 0);
        if (failure === 'network' && idempotent && used < profile.retry.maxAttempts) {
          const wait = backoffMs(used, profile.retry, this.random);
          if (waited + wait <= profile.retry.maxTotalWaitMs && Date.now() + wait < expiresAt) {
            waited += wait;
            try {
              await this.sleep(wait, signal);
            } catch (aborted) {
              throw this.fail(state, this.asProblem(aborted, state, deadline));
            }
            continue;
          }
        }
        throw this.fail(state, this.asProblem(error, state, deadline));
      }
    }
  }

  /**
   * One request and the redirects it leads to. Credentials are attached while the URL is on the
   * base origin; once a redirect leaves it they are never attached again in this chain, even if
   * a later hop comes back (a foreign server must not be able to steer an authenticated request).
   */
  private async exchange(profile: CallProfile, request: VendorRequest, signal: AbortSignal, stream: boolean): Promise<Exchange> {
    let url = this.options.hostMap.restore(request.url, profile.baseOrigin);
    let method = request.method;
    let body = request.body;
    let credentialed = profile.baseOrigin !== undefined && url.origin === profile.baseOrigin;
    for (let hops = 0; ; hops++) {
      const sent = credentialed ? withQueryCredentials(url, profile) : withoutCredentialValues(url, profile);
      const { target, dispatcher } = this.destinations.route(sent, profile.internal);
      const res = await dispatcher.request({
        origin: target.origin,
        path: target.pathname + target.search,
        method,
        headers: requestHeaders(profile, request.headers, credentialed, stream, body !== undefined),
        body: body ?? null,
        signal,
        ...(stream ? { bodyTimeout: this.timeoutMs } : {}),
      });
      const hop = nextHop(res.statusCode, single(res.headers.location), url, method);
      if (!hop) return { res, url, credentialed, method };
      const staysHome = credentialed && hop.url.origin === profile.baseOrigin;
      if (!staysHome && !mayFollowAcrossOrigins(hop)) return { res, url, credentialed, method };
      discard(res);
      if (hops + 1 > MAX_REDIRECTS) {
        throw new Problem('TOO_MANY_REDIRECTS', `${profile.vendorName} redirected more than ${MAX_REDIRECTS} times; the last redirect led to ${hop.url.origin}${hop.url.pathname}.`);
      }
      url = hop.url;
      method = hop.method;
      if (!hop.keepBody) body = undefined;
      credentialed = staysHome;
    }
  }

  private async buffered(state: CallState, ex: Exchange, options: VendorCallOptions): Promise<VendorResponse> {
    const { data, decoded } = await readBody(ex.res.body, ex.res.headers, { maxJsonBytes: options.maxJsonBytes ?? this.maxJsonBytes, maxBodyBytes: this.maxBodyBytes });
    const headers = endToEndHeaders(ex.res.headers);
    if (decoded) {
      // The body is returned decoded: these no longer describe it.
      delete headers['content-encoding'];
      delete headers['content-length'];
    }
    let json: unknown;
    if (data.length > 0 && !options.expectBinary && isJsonType(headers['content-type'])) {
      try {
        json = JSON.parse(data.toString('utf8'));
      } catch {
        json = undefined; // the raw body is still there for the caller
      }
    }
    return {
      status: ex.res.statusCode,
      headers,
      body: data,
      ...(json !== undefined ? { json } : {}),
      url: ex.url,
      attempts: state.attempts,
      durationMs: Math.round(performance.now() - state.started),
    };
  }

  /** Hands the body over unread; the slot is freed and the call recorded when it ends. */
  private streamed(state: CallState, ex: Exchange, free: () => void): VendorResponse {
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    pipeline(ex.res.body, counter, (error) => {
      free();
      const status = ex.res.statusCode;
      if (state.wantsBodies) state.responseBody = `[stream of ${bytes} bytes]`;
      this.record(state, status, error ? 'VENDOR_UNREACHABLE' : status >= 400 ? vendorErrorCode(status) : null, bytes);
    });
    return {
      status: ex.res.statusCode,
      headers: endToEndHeaders(ex.res.headers),
      body: Buffer.alloc(0),
      stream: counter as Readable,
      url: ex.url,
      attempts: state.attempts,
      durationMs: Math.round(performance.now() - state.started),
    };
  }

  /**
   * When the final answer says the quota is spent (remaining 0, or a 429/503 with a wait), the
   * connection's other calls are held until the vendor's reset time instead of being refused
   * one by one. Waits longer than the call budget are not imposed: callers then get the 429.
   */
  private noteVendorPause(connectionId: string, profile: CallProfile, status: number, headers: Record<string, string | string[] | undefined>): void {
    const now = Date.now();
    const wait = status === 429 || status === 503 ? vendorWaitMs(headers, now) : quotaResetMs(headers, now);
    if (wait !== undefined && wait > 0 && wait <= profile.retry.maxTotalWaitMs) this.limiter.pause(connectionId, now + wait, profile.limits);
  }

  private profileFor(row: ConnectionRow): Promise<CallProfile> {
    // Connections that are not Connected are never cached: access() refuses them with the reason.
    if (row.status !== 'Connected') return this.load(row);
    return this.cache.get(row, () => this.load(row));
  }

  private async load(row: ConnectionRow, rejected?: string): Promise<CallProfile> {
    const access = await this.options.connections.access(row, rejected ? { rejected } : {});
    return buildProfile(access, this.defaults, (base) => this.destinations.isInternal(base));
  }

  /** A profile whose token is not `stale`'s: another call's renewal, or a renewal of our own. */
  private async renewedProfile(row: ConnectionRow, stale: CallProfile): Promise<CallProfile> {
    const rejected = stale.access.tokens!.accessToken;
    const current = await this.cache.get(row, () => this.load(row));
    if (current.access.tokens?.accessToken !== rejected) return current;
    return this.cache.refresh(row, () => this.load(row, rejected));
  }

  private asProblem(error: unknown, state: CallState, deadline: AbortSignal): Problem | Error {
    if (error instanceof Problem) return error;
    const failure = failureOf(error, deadline);
    if (failure === 'destination') {
      const refused = findDestinationRefused(error)!;
      this.options.log?.warn({ connectionId: state.row.id, host: refused.hostname, category: refused.category }, 'vendor call refused: destination not allowed');
    }
    return problemForFailure(error, failure, {
      vendor: state.profile?.vendorName ?? 'The vendor',
      attempts: state.attempts,
      timeoutMs: state.options.timeoutMs ?? this.timeoutMs,
    });
  }

  /** Records a call that ended without a vendor response to return, and gives back the error. */
  private fail(state: CallState, error: Problem | Error): Problem | Error {
    const code = error instanceof Problem ? error.code : 'CANCELLED';
    this.record(state, null, code, 0);
    return error;
  }

  private record(state: CallState, status: number | null, errorCode: string | null, responseBytes: number): void {
    try {
      this.options.recorder.record(callRecord(state, status, errorCode, responseBytes, state.wantsBodies));
    } catch {
      // Bookkeeping never fails a call; the recorder reports its own trouble.
    }
  }

  /**
   * The connection's base URL as its calls see it (from the same cached access, so asking is
   * cheap); undefined for connectors without one. Throws CONNECTION_NOT_ENABLED like send().
   */
  async baseUrl(row: ConnectionRow): Promise<URL | undefined> {
    try {
      return (await this.profileFor(row)).base;
    } catch (error) {
      if (error instanceof Problem && error.code === 'CONNECTION_NOT_ENABLED') this.cache.invalidate(row.id);
      throw error;
    }
  }

  /** Forgets cached credentials of a connection (after a reconnect elsewhere, in tests). */
  forget(connectionId: string): void {
    this.cache.invalidate(connectionId);
  }

  async close(): Promise<void> {
    await this.destinations.close();
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Drops a body we will not use, without keeping its socket busy. */
function discard(res: Dispatcher.ResponseData): void {
  res.body.dump().catch(() => {});
}
