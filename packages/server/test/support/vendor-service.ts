import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/http/logging.ts';
import type { Resolver } from '../../src/outbound/destinations.ts';
import type { VendorClientOptions } from '../../src/outbound/vendor-client.ts';
import { createSwitchboard } from '../../src/service.ts';
import { ADMIN_KEY, LogCapture, MASTER_KEY, type TestService } from './service.ts';
import { type StoreKind, openTestStore } from './stores.ts';

/**
 * A test service like startTestService, with the vendor client's test hooks: a DNS resolver
 * that answers from a table (so a public-looking name can point at 127.0.0.1 without
 * /etc/hosts), and fast retries.
 */
export async function startVendorService(
  env: Record<string, string> = {},
  vendorClient: Partial<VendorClientOptions> = {},
  kind: StoreKind = 'embedded',
): Promise<TestService> {
  const store = await openTestStore(kind);
  const logs = new LogCapture();
  const config = loadConfig({ SWITCHBOARD_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY, SWITCHBOARD_MASTER_KEY: MASTER_KEY, PORT: '0', LOG_LEVEL: 'info', SWITCHBOARD_RETRY_BASE_DELAY_MS: '5', ...env });
  const sb = await createSwitchboard(config, { logger: createLogger('info', logs), db: store.db, tokens: { baseDelayMs: 5 }, vendorClient });
  return {
    sb,
    store,
    logs,
    api(method, url, options = {}) {
      const key = options.key === undefined ? ADMIN_KEY : options.key;
      const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...options.headers };
      return sb.app.inject({ method, url, headers, ...(options.body !== undefined ? { payload: options.body as never } : {}) }) as Promise<LightMyRequestResponse>;
    },
    async close() {
      await sb.close();
      await store.drop();
    },
  };
}

/** A resolver answering from a table of names; unknown names fail like DNS does. */
export function tableResolver(table: Record<string, string>): Resolver {
  return async (hostname) => {
    const address = table[hostname.toLowerCase()];
    if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
}

/** The Shared folder's id. */
export async function sharedFolder(s: TestService): Promise<string> {
  const folders = await s.api('GET', '/api/v1/folders?kind=shared');
  return folders.json().items.find((f: { name: string }) => f.name === 'Shared').id;
}

/** Creates an HTTP connector connection (API key unless said otherwise) and returns its id. */
export async function httpConnection(s: TestService, folderId: string, baseUrl: string, fields: Record<string, unknown> = {}, authType = 'api-key'): Promise<string> {
  const res = await s.api('POST', '/api/v1/connections', { body: { folderId, connector: 'http', authType, fields: { baseUrl, ...fields } } });
  if (res.statusCode !== 201) throw new Error(`creating the connection failed: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

export function httpRequest(s: TestService, id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return s.api('POST', `/api/v1/connections/${id}/http`, { body, headers });
}
