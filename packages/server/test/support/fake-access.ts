import { randomUUID } from 'node:crypto';
import type { ConnectorDefinition, HttpDefinition } from '@switchboard/catalog';
import { Authenticator } from '../../src/authentication/authenticator.ts';
import { ConnectionContext } from '../../src/authentication/context.ts';
import type { TokenSet } from '../../src/authentication/oauth2.ts';
import { loadCatalog } from '../../src/catalog/catalog.ts';
import type { ConnectionRow } from '../../src/connections/repository.ts';
import type { ConnectionAccess } from '../../src/connections/service.ts';
import { HostMap } from '../../src/outbound/host-map.ts';
import type { ActivityRecorder, VendorCallRecord } from '../../src/usage/recorder.ts';
import { VendorClient, type VendorClientOptions } from '../../src/outbound/vendor-client.ts';

export type FakeAuth = 'api-key-header' | 'api-key-query' | 'oauth' | 'none';

export interface FakeConnectionOptions {
  baseUrl: string;
  auth?: FakeAuth;
  http?: Partial<HttpDefinition>;
  expiredTokenStatus?: number[];
}

/**
 * A connection of the built-in HTTP connector without a store: the row, and an access source
 * that behaves like Connections.access (an OAuth token is replaced when it is `rejected`).
 * Lets the vendor client be tested against real sockets and nothing else.
 */
export class FakeConnection {
  readonly row: ConnectionRow;
  readonly apiKey = `ak_${randomUUID().replace(/-/g, '')}`;
  token = 'token-1';
  renewals = 0;
  accessCalls = 0;
  private readonly connector: ConnectorDefinition;
  private readonly authType: string;

  constructor(readonly options: FakeConnectionOptions) {
    const def = structuredClone(loadCatalog().get('http')!) as ConnectorDefinition;
    def.http = { offered: true, ...options.http };
    const auth = options.auth ?? 'api-key-header';
    this.authType = auth === 'oauth' ? 'oauth2-client-credentials' : auth === 'none' ? 'none' : 'api-key';
    if (auth === 'oauth' && options.expiredTokenStatus) {
      const a = def.auth.find((x) => x.type === 'oauth2-client-credentials')!;
      if ('oauth2' in a) a.oauth2.expiredTokenStatus = options.expiredTokenStatus;
    }
    this.connector = def;
    const now = new Date();
    this.row = {
      id: randomUUID(), tenant_id: randomUUID(), folder_id: randomUUID(), connector_key: 'http', connector_version: def.version, auth_type: this.authType,
      name: 'fake', account: null, account_id: null, status: 'Connected', disabled_reason: null, status_message: null, is_default: true,
      owner_id: randomUUID(), environment: null, config: {}, metadata: {}, granted_scopes: [], polling_interval_minutes: 5,
      token_expires_at: null, last_refreshed_at: null, last_checked_at: null, last_check_ok: null, last_check_message: null, last_used_at: null,
      created_at: now, updated_at: now,
    };
  }

  access = async (_row: ConnectionRow, options: { rejected?: string } = {}): Promise<ConnectionAccess> => {
    this.accessCalls++;
    if (options.rejected !== undefined && options.rejected === this.token) {
      this.renewals++;
      this.token = `token-${this.renewals + 1}`;
    }
    const auth = this.connector.auth.find((a) => a.type === this.authType)!;
    const values: Record<string, unknown> = { baseUrl: this.options.baseUrl };
    if (this.options.auth === 'api-key-query') Object.assign(values, { placement: 'query', keyName: 'api_key', apiKey: this.apiKey });
    else if (this.authType === 'api-key') Object.assign(values, { placement: 'header', keyName: 'X-API-Key', apiKey: this.apiKey });
    else if (this.authType === 'oauth2-client-credentials') Object.assign(values, { tokenUrl: 'https://auth.example/token', clientId: 'c', clientSecret: 's', clientAuthentication: 'client_secret_post' });
    const ctx = new ConnectionContext(this.connector, auth, values);
    const tokens: TokenSet | undefined = this.authType === 'oauth2-client-credentials' ? { accessToken: this.token, expiresAt: new Date(Date.now() + 3600_000).toISOString() } as TokenSet : undefined;
    const credentials = new Authenticator(null as never).credentials(ctx, tokens);
    return { row: this.row, connector: this.connector, ctx, credentials, tokens };
  };
}

/** A recorder that keeps what it is given. */
export class MemoryRecorder implements ActivityRecorder {
  readonly records: VendorCallRecord[] = [];
  record(entry: VendorCallRecord): void {
    this.records.push(entry);
  }
}

/** A vendor client over one fake connection, with waits recorded instead of spent. */
export function clientFor(connection: FakeConnection, overrides: Partial<VendorClientOptions> = {}) {
  const sleeps: number[] = [];
  const recorder = new MemoryRecorder();
  const client = new VendorClient({
    connections: { access: connection.access },
    recorder,
    hostMap: new HostMap(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    retryBaseDelayMs: 10,
    ...overrides,
  });
  return { client, sleeps, recorder };
}
