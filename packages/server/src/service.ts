import type { Catalog } from '@switchboard/catalog';
import type { FastifyBaseLogger } from 'fastify';
import { ApiKeys } from './access/api-keys.ts';
import { type BootstrapResult, bootstrap } from './access/bootstrap.ts';
import { Folders } from './access/folders.ts';
import { folderRoutes } from './access/routes/folders.ts';
import { userRoutes } from './access/routes/users.ts';
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
import type { Database } from './store/database.ts';
import { resolveMasterKeys } from './vault/master-key.ts';
import { vaultRoutes } from './vault/routes.ts';
import { Vault } from './vault/vault.ts';
import { openStore } from './store/open.ts';
import { systemRoutes } from './system/routes.ts';
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
  close(): Promise<void>;
}

export interface SwitchboardOptions {
  logger: FastifyBaseLogger;
  /** Tests pass an already-open store (a schema on the shared server, an in-memory PGlite). */
  db?: Database;
  /** Run background upkeep (idle token renewal, abandoned authorizations); the CLI's serve does. */
  background?: boolean;
  tokens?: TokenManagerOptions;
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
    const boot = await bootstrap(db, users, apiKeys, { adminEmail: config.bootstrapAdminEmail, adminKey: config.bootstrapAdminKey });

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

    const app = await createApp({
      logger: options.logger,
      bodyLimit: config.bodyLimit,
      version: VERSION,
      publicUrl: config.publicUrl,
      authenticate: (key) => apiKeys.authenticate(key),
    });
    systemRoutes(app, { version: VERSION, store: db.kind, ping: async () => void (await db.query('SELECT 1')) });
    folderRoutes(app, folders);
    userRoutes(app, users);
    catalogRoutes(app, catalog);
    connectionRoutes(app, connections, flow);
    vaultRoutes(app, vault);
    await app.ready();

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
      async close() {
        maintenance.stop();
        await app.close();
        if (!options.db) await db.close();
      },
    };
  } catch (error) {
    if (!options.db) await db.close().catch(() => {});
    throw error;
  }
}
