import type { Catalog } from '@switchboard/catalog';
import type { FastifyBaseLogger } from 'fastify';
import { ApiKeys } from './access/api-keys.ts';
import { type BootstrapResult, bootstrap } from './access/bootstrap.ts';
import { Folders } from './access/folders.ts';
import { folderRoutes } from './access/routes/folders.ts';
import { userRoutes } from './access/routes/users.ts';
import { Credentials } from './access/credentials.ts';
import { sessionRoutes } from './access/routes/sessions.ts';
import { Sessions } from './access/sessions.ts';
import { consoleRoutes } from './console/routes.ts';
import { Users } from './access/users.ts';
import { loadCatalog } from './catalog/catalog.ts';
import { catalogRoutes } from './catalog/routes.ts';
import type { Config } from './config/config.ts';
import { type App, createApp } from './http/app.ts';
import { Authenticator } from './authentication/authenticator.ts';
import { OAuth2Client } from './authentication/oauth2.ts';
import { TokenManager, type TokenManagerOptions } from './authentication/tokens.ts';
import { AuthorizationFlow } from './connections/authorization-flow.ts';
import { ConnectionMaintenance } from './connections/maintenance.ts';
import { findConnectionById } from './connections/repository.ts';
import { connectionRoutes } from './connections/routes.ts';
import { Connections } from './connections/service.ts';
import { HostMap } from './outbound/host-map.ts';
import { Outbound } from './outbound/http.ts';
import { VendorClient, type VendorClientOptions } from './outbound/vendor-client.ts';
import { httpRequestRoutes } from './activities/http-request/routes.ts';
import { activityRoutes } from './activities/routes.ts';
import { ActivityRuntime } from './activities/runtime.ts';
import { problemFromVendorResponse } from './outbound/vendor-problems.ts';
import { HttpRequestService } from './activities/http-request/service.ts';
import { VisibleConnections } from './activities/http-request/visible-connections.ts';
import type { Database } from './store/database.ts';
import { resolveMasterKeys } from './vault/master-key.ts';
import { vaultRoutes } from './vault/routes.ts';
import { Vault } from './vault/vault.ts';
import { openStore } from './store/open.ts';
import { systemRoutes } from './system/routes.ts';
import { TriggerEngine, type TriggerEngineOptions } from './triggers/engine.ts';
import { triggerRoutes } from './triggers/routes.ts';
import { TriggerService } from './triggers/service.ts';
import { webhookRoutes } from './triggers/webhooks/routes.ts';
import { DebugSessions } from './troubleshooting/debug.ts';
import { RequestLogs } from './troubleshooting/request-logs.ts';
import { troubleshootingRoutes } from './troubleshooting/routes.ts';
import { QuotaGuard } from './usage/quota.ts';
import { RetentionSweeper } from './usage/retention.ts';
import { usageRoutes } from './usage/routes.ts';
import { UsageRecorder } from './usage/usage-recorder.ts';
import { VERSION } from './version.ts';

export interface Switchboard {
  app: App;
  db: Database;
  config: Config;
  /** Set on the start that bootstrapped the store. */
  bootstrap: BootstrapResult | undefined;
  vault: Vault;
  catalog: Catalog;
  connections: Connections;
  tokens: TokenManager;
  maintenance: ConnectionMaintenance;
  /** The ActivityRecorder the vendor client reports every call to (usage ledger, request logs). */
  recorder: UsageRecorder;
  /** `quotaGuard.check(tenantId)` before a vendor call; the recorder's `beforeCall` does it. */
  quotaGuard: QuotaGuard;
  debugSessions: DebugSessions;
  retention: RetentionSweeper;
  /** The vendor client (VendorCaller): every call to a vendor as a connection goes through it. */
  vendor: VendorClient;
  triggers: TriggerService;
  /** Polls, webhook ingress, vendor subscriptions and event delivery. */
  triggerEngine: TriggerEngine;
  close(): Promise<void>;
}

export interface SwitchboardOptions {
  logger: FastifyBaseLogger;
  /** Tests pass an already-open store (a schema on the shared server, an in-memory PGlite). */
  db?: Database;
  /** Run background upkeep (idle token renewal, abandoned authorizations); the CLI's serve does. */
  background?: boolean;
  tokens?: TokenManagerOptions;
  /** Tests: overrides of the vendor client (DNS resolver, sleep, retry delays). */
  vendorClient?: Partial<VendorClientOptions>;
  /**
   * The trigger engine's workers (polls, deliveries, subscription upkeep) run when `background`
   * is set or `run` is; tests also pass a clock, delivery timings and a faster tick.
   */
  triggers?: Partial<TriggerEngineOptions> & { run?: boolean };
}

/**
 * The composition root: opens the store, builds each stage's services and mounts their
 * routes. Nothing else wires dependencies, so this file is the map of the service.
 */
export async function createSwitchboard(config: Config, options: SwitchboardOptions): Promise<Switchboard> {
  const db = options.db ?? (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  try {
    const catalog = loadCatalog();
    const apiKeys = new ApiKeys(db);
    const users = new Users(db, apiKeys);
    const folders = new Folders(db);
    const boot = await bootstrap(db, users, apiKeys, { adminEmail: config.bootstrapAdminEmail, adminKey: config.bootstrapAdminKey, adminPassword: config.bootstrapAdminPassword });
    const credentials = new Credentials(db, users);
    const sessions = new Sessions(db, credentials, { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours, secure: config.publicUrl.startsWith('https:') });

    const masterKeys = await resolveMasterKeys({
      masterKey: config.masterKey,
      previousMasterKeys: config.previousMasterKeys,
      dataDir: db.kind === 'embedded' && !options.db ? config.dataDir : undefined,
    });
    const vault = await Vault.open(db, masterKeys.current, masterKeys.previous);
    const hostMap = HostMap.parse(config.hostMap);
    if (hostMap.size > 0) {
      options.logger.warn({ hostMap: hostMap.describe() }, 'SWITCHBOARD_HOST_MAP is set: requests to these vendor hosts go to the listed local origins instead');
    }
    const outbound = new Outbound(hostMap);
    const oauth2 = new OAuth2Client(outbound);
    const authenticator = new Authenticator(oauth2);
    const flow = new AuthorizationFlow(db, vault, oauth2, authenticator, outbound, `${config.publicUrl}/api/v1/oauth/callback`);
    let tokens: TokenManager | undefined;
    const connections = new Connections({ db, catalog, folders, vault, authenticator, oauth2, outbound, flow, tokens: () => tokens! });
    flow.attach(connections);
    tokens = new TokenManager(
      db,
      vault,
      authenticator,
      {
        context: async (id, secrets) => {
          const row = await findConnectionById(db, id);
          if (!row) throw new Error(`Connection ${id} is gone`);
          return connections.context(row, secrets);
        },
        renewed: (id, set) => connections.renewed(id, set),
        failed: (id, error) => connections.disable(id, error),
      },
      options.tokens,
    );
    const maintenance = new ConnectionMaintenance(db, tokens, flow, options.logger);
    if (options.background) maintenance.start();

    // Usage and troubleshooting: every vendor call is metered, checked against the quota and logged.
    const quotaGuard = new QuotaGuard(db, { defaultLimit: config.monthlyActivityQuota });
    const debugSessions = new DebugSessions(db, folders);
    await debugSessions.load();
    const recorder = new UsageRecorder(db, quotaGuard, debugSessions, { logger: options.logger });
    recorder.start();
    const retention = new RetentionSweeper(db, { logRetentionDays: config.logRetentionDays, usageRetentionDays: config.usageRetentionDays, logger: options.logger });
    if (options.background) retention.start();

    const vendor = new VendorClient({
      connections,
      recorder,
      hostMap,
      privateHosts: config.privateHosts,
      timeoutMs: config.activityTimeoutMs,
      maxJsonBytes: config.maxJsonBytes,
      maxBodyBytes: config.maxResponseBytes,
      retryBaseDelayMs: config.retryBaseDelayMs,
      log: options.logger,
      ...options.vendorClient,
    });

    // Triggers: polls, webhook ingress, vendor subscriptions and delivery, on a job queue every instance shares.
    const { run: runTriggers, ...triggerOptions } = options.triggers ?? {};
    const triggerEngine = new TriggerEngine(
      { db, vault, connections, vendor, recorder, logger: options.logger, publicUrl: config.publicUrl, connectorSetting: (connector, name) => config.connectorSettings[connector]?.[name] },
      { webhookRateLimit: config.webhookRateLimit, allowPrivateTargets: config.allowPrivateTargets, ...triggerOptions },
    );
    const triggers = new TriggerService({ db, folders, connections, engine: triggerEngine, publicUrl: config.publicUrl, allowPrivateTargets: triggerEngine.options.allowPrivateTargets });

    const app = await createApp({
      logger: options.logger,
      bodyLimit: config.bodyLimit,
      version: VERSION,
      publicUrl: config.publicUrl,
      authenticate: (key) => apiKeys.authenticate(key),
      authenticateSession: (request) => sessions.authenticate(request),
    });
    systemRoutes(app, { version: VERSION, store: db.kind, ping: async () => void (await db.query('SELECT 1')) });
    folderRoutes(app, folders);
    userRoutes(app, users);
    sessionRoutes(app, { db, users, credentials, sessions, publicUrl: config.publicUrl });
    catalogRoutes(app, catalog);
    connectionRoutes(app, connections, flow, (request) => sessions.userIdOf(request));
    vaultRoutes(app, vault);
    httpRequestRoutes(app, new HttpRequestService({ catalog, visible: new VisibleConnections(db, folders), vendor }));
    const activities = new ActivityRuntime({ catalog, connections, vendor, hostMap, logger: options.logger, vendorError: (response, { connector }) => problemFromVendorResponse(response, connector.vendor) });
    activityRoutes(app, activities, catalog);
    usageRoutes(app, { db, folders, quota: quotaGuard });
    troubleshootingRoutes(app, { logs: new RequestLogs(db, folders), debug: debugSessions });
    triggerRoutes(app, triggers);
    await webhookRoutes(app, triggerEngine.ingress, config.publicUrl);
    await consoleRoutes(app, { dir: config.consoleDir });
    await app.ready();
    if (options.background || runTriggers) await triggerEngine.start();

    return {
      app,
      db,
      config,
      bootstrap: boot,
      vault,
      catalog,
      connections,
      tokens,
      maintenance,
      recorder,
      quotaGuard,
      debugSessions,
      retention,
      vendor,
      triggers,
      triggerEngine,
      async close() {
        // Workers first: deliveries in flight finish (or their leases let another instance take over).
        await triggerEngine.stop();
        maintenance.stop();
        retention.stop();
        await app.close();
        // After the last request finished: its calls are in the buffer, written now.
        await recorder.close();
        await vendor.close();
        if (!options.db) await db.close();
      },
    };
  } catch (error) {
    if (!options.db) await db.close().catch(() => {});
    throw error;
  }
}
