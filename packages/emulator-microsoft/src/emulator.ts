/**
 * Starting and stopping the emulator: four listeners (global, usgov, dod, china) sharing one
 * state and signing key, and the host map that points Switchboard's vendor hosts at them.
 */
import type { FastifyInstance } from 'fastify';
import { LISTENERS, LISTENER_NAMES, PERSONAL_CONTENT_HOST, listenerHosts, sharePointHosts, type ListenerName } from './clouds.ts';
import { EmulatorAdmin } from './admin.ts';
import { registerAdminRoutes } from './admin-routes.ts';
import { driveConsent, type ConsentOptions } from './consent-driver.ts';
import type { EmulatorContext } from './context.ts';
import { applySeed, type EmulatorSeed } from './directory.ts';
import { createSigningKey } from './keys.ts';
import { notificationOptions, type NotificationOptions } from './notifications/options.ts';
import { ChangeNotifications } from './notifications/service.ts';
import { defaultSeed } from './seed.ts';
import { buildListener } from './server.ts';
import { EmulatorState } from './state.ts';

export const DEFAULT_PORT = 4100;

export interface StartMicrosoftEmulatorOptions {
  /** Base port: global = port, usgov = port+1, dod = port+2, china = port+3. 0 = ephemeral for all. Default 4100. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Directory to start with. Default: defaultSeed(). */
  seed?: EmulatorSeed;
  /** Access token lifetime (expires_in). Default 3599. */
  tokenLifetimeSeconds?: number;
  /** Refresh token inactivity lifetime. Default 90 days. */
  refreshTokenLifetimeSeconds?: number;
  /** Authorization code lifetime. Default 600. */
  codeLifetimeSeconds?: number;
  /** Reject reuse of a refresh token once it has been rotated (Entra does not). Default false. */
  revokeRotatedRefreshTokens?: boolean;
  /** Discovery advertises the vendor hosts instead of the local origins. Default false. */
  advertiseRealHosts?: boolean;
  /**
   * Where pre-authenticated upload, download and copy-monitor URLs point. `listener` (the
   * default): this listener, on the host the request came to. `sharepoint`: the tenant's
   * SharePoint host (`contoso-my.sharepoint.com`, `contoso.sharepoint.us`...), as Microsoft's do,
   * which `hostMap` maps to the listener — what a client behind Switchboard's host map needs,
   * since it follows such URLs without the Graph credentials. Defaults to `sharepoint` when
   * advertiseRealHosts is set.
   */
  transferLinks?: 'listener' | 'sharepoint';
  /** Clock (epoch ms), for tests. Default Date.now. */
  now?: () => number;
  /** Longest lifetime of an Outlook subscription, create and renew (Graph: 10080). Default 10080. */
  subscriptionMaxLifetimeMinutes?: number;
  /**
   * Accept `http://` notification and lifecycle URLs. Graph requires https; the default (true)
   * lets a local receiver on http://127.0.0.1 subscribe. False refuses http as Graph does.
   */
  allowHttpNotificationUrls?: boolean;
  /** How long a notification URL may take to answer the validation request. Default 10000 (Graph's 10 s). */
  validationTimeoutMs?: number;
  /** Notifications for one URL raised within this many ms share one POST. Default 20. */
  notificationBatchMs?: number;
  /** How long a notification POST may take before it counts as failed. Default 3000 (Graph's 3 s). */
  notificationTimeoutMs?: number;
  /** Delays before each retry of a failed notification POST. Default [1000, 5000, 30000, 120000]. */
  notificationRetryDelaysMs?: number[];
}

/** The notification knobs among the start options (undefined ones take the defaults). */
function pickNotificationOptions(o: StartMicrosoftEmulatorOptions): NotificationOptions {
  const keys = ['subscriptionMaxLifetimeMinutes', 'allowHttpNotificationUrls', 'validationTimeoutMs', 'notificationBatchMs', 'notificationTimeoutMs', 'notificationRetryDelaysMs'] as const;
  return notificationOptions(Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<NotificationOptions>);
}

/** The running emulator: admin methods (inherited) plus where it listens and how to stop it. */
export class MicrosoftEmulator extends EmulatorAdmin {
  /** Local origin of each listener (filled in as the listeners bind). */
  readonly origins: Readonly<Record<ListenerName, string>>;
  /** The seed the emulator started with (secrets included), for printing at start. */
  readonly seed: EmulatorSeed;
  private servers: FastifyInstance[] = [];

  constructor(ctx: EmulatorContext, seed: EmulatorSeed) {
    super(ctx, seed, { ...ctx.state.settings });
    this.seed = seed;
    this.origins = ctx.origins;
  }

  /**
   * Vendor host → local origin: the seven login and Graph hosts; with `transferLinks:
   * 'sharepoint'` also the SharePoint hosts of the organizations in the directory now (and
   * personal OneDrive's content host), where transfer URLs then point. Read it after adding tenants.
   */
  get hostMapEntries(): Record<string, string> {
    const entries: Record<string, string> = {};
    for (const name of LISTENER_NAMES) for (const host of listenerHosts(LISTENERS[name])) entries[host] = this.origins[name];
    if (this.ctx.transferLinks !== 'sharepoint') return entries;
    for (const tenant of this.ctx.state.tenants.values()) {
      if (tenant.kind === 'consumer') continue;
      for (const name of LISTENER_NAMES) {
        const { sites, personal } = sharePointHosts(LISTENERS[name], tenant.name);
        entries[sites] = this.origins[name];
        entries[personal] = this.origins[name];
      }
    }
    entries[PERSONAL_CONTENT_HOST] = this.origins.global;
    return entries;
  }

  /** The SWITCHBOARD_HOST_MAP value: `host=origin,host=origin,...`. */
  get hostMap(): string {
    return Object.entries(this.hostMapEntries)
      .map(([h, o]) => `${h}=${o}`)
      .join(',');
  }

  /** @internal */
  attach(servers: FastifyInstance[]): void {
    this.servers = servers;
  }

  describe() {
    return { origins: this.origins, hostMap: this.hostMap, hostMapEntries: this.hostMapEntries };
  }

  /**
   * Completes an authorization request the way a browser would (GET the page, POST the form)
   * and returns the redirect Location. Accepts URLs on vendor hosts or local origins.
   */
  consent(authorizationUrl: string, options: ConsentOptions = {}): Promise<string> {
    return driveConsent(authorizationUrl, options, this.hostMapEntries);
  }

  async close(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    await Promise.all([...servers.map((s) => s.close()), this.ctx.notifications.close()]);
  }
}

function originFor(host: string, port: number): string {
  // Listening on every interface still means clients reach it on loopback.
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return reachable.includes(':') ? `http://[${reachable}]:${port}` : `http://${reachable}:${port}`;
}

export async function startMicrosoftEmulator(options: StartMicrosoftEmulatorOptions = {}): Promise<MicrosoftEmulator> {
  const basePort = options.port ?? DEFAULT_PORT;
  const host = options.host ?? '127.0.0.1';
  const state = new EmulatorState(options.now ?? Date.now, {
    ...(options.tokenLifetimeSeconds !== undefined ? { accessTokenSeconds: options.tokenLifetimeSeconds } : {}),
    ...(options.refreshTokenLifetimeSeconds !== undefined ? { refreshTokenSeconds: options.refreshTokenLifetimeSeconds } : {}),
    ...(options.codeLifetimeSeconds !== undefined ? { codeSeconds: options.codeLifetimeSeconds } : {}),
    ...(options.revokeRotatedRefreshTokens !== undefined ? { revokeRotatedRefreshTokens: options.revokeRotatedRefreshTokens } : {}),
  });
  const seed = structuredClone(options.seed ?? defaultSeed());
  // Validated before anything is bound, like the seed.
  const notifications = pickNotificationOptions(options);
  const ctx: EmulatorContext = {
    state,
    key: await createSigningKey(),
    advertiseRealHosts: options.advertiseRealHosts ?? false,
    transferLinks: options.transferLinks ?? (options.advertiseRealHosts ? 'sharepoint' : 'listener'),
    origins: { global: '', usgov: '', dod: '', china: '' },
    notifications: new ChangeNotifications(state, notifications),
  };
  const emulator = new MicrosoftEmulator(ctx, seed);
  // Apply (and so validate) the seed before binding anything: a bad seed fails fast with no ports held.
  const working = structuredClone(seed);
  applySeed(state, working);
  emulator.applyData(working);
  const servers: FastifyInstance[] = [];
  try {
    for (const name of LISTENER_NAMES) {
      const def = LISTENERS[name];
      const app = buildListener({ def, emu: ctx }, name === 'global' ? (a) => registerAdminRoutes(a, emulator) : undefined);
      servers.push(app);
      await app.listen({ port: basePort === 0 ? 0 : basePort + def.portOffset, host });
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error(`listener ${name} has no TCP address`);
      ctx.origins[name] = originFor(host, address.port);
    }
  } catch (err) {
    await Promise.allSettled([...servers.map((s) => s.close()), ctx.notifications.close()]);
    throw err;
  }
  emulator.attach(servers);
  return emulator;
}
