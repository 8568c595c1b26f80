import assert from 'node:assert/strict';
import { DEFAULT_SEED_IDS, type MicrosoftEmulator, startMicrosoftEmulator } from '@switchboard/emulator-microsoft';
import type { StoreKind } from './stores.ts';
import { type TestService, startTestService } from './service.ts';

export const APP = DEFAULT_SEED_IDS.apps.multiTenant;
export const SINGLE_TENANT_APP = DEFAULT_SEED_IDS.apps.singleTenant;
export const CONTOSO = DEFAULT_SEED_IDS.tenants.contoso;
export const ADELE = 'AdeleV@contoso.onmicrosoft.com';
/** The emulator's default app registrations list this redirect URI, as a real app registration would. */
export const PUBLIC_URL = 'http://127.0.0.1:8080';

export const ENVIRONMENTS = [
  { key: 'office365', listener: 'global', login: 'login.microsoftonline.com', graph: 'graph.microsoft.com', graphListener: 'global' },
  { key: 'usgov-l4', listener: 'usgov', login: 'login.microsoftonline.us', graph: 'graph.microsoft.us', graphListener: 'usgov' },
  { key: 'usgov-l5', listener: 'usgov', login: 'login.microsoftonline.us', graph: 'dod-graph.microsoft.us', graphListener: 'dod' },
  { key: 'china', listener: 'china', login: 'login.chinacloudapi.cn', graph: 'microsoftgraph.chinacloudapi.cn', graphListener: 'china' },
] as const;

export interface MicrosoftSetup {
  s: TestService;
  em: MicrosoftEmulator;
  folderId: string;
  close(): Promise<void>;
}

/** A Switchboard whose Microsoft hosts point at a fresh emulator, as SWITCHBOARD_HOST_MAP is meant to be used. */
export async function startWithEmulator(kind: StoreKind = 'embedded'): Promise<MicrosoftSetup> {
  const em = await startMicrosoftEmulator({ port: 0, transferLinks: 'sharepoint' });
  const s = await startTestService(kind, { SWITCHBOARD_HOST_MAP: em.hostMap, PUBLIC_URL });
  const folders = await s.api('GET', '/api/v1/folders?kind=shared');
  const folderId = folders.json().items.find((f: { name: string }) => f.name === 'Shared').id;
  return {
    s,
    em,
    folderId,
    async close() {
      await s.close();
      await em.close();
    },
  };
}

/** Creates a delegated connection and completes consent through the emulator's real consent page. */
export async function connectDelegated(
  setup: MicrosoftSetup,
  options: { environment?: string; tenantId?: string; user?: string; clientId?: string; clientSecret?: string; scopes?: string[]; folderId?: string } = {},
) {
  const created = await setup.s.api('POST', '/api/v1/connections', {
    body: {
      folderId: options.folderId ?? setup.folderId,
      connector: 'microsoft-365',
      authType: 'oauth2-byoa',
      fields: {
        clientId: options.clientId ?? APP.clientId,
        clientSecret: options.clientSecret ?? APP.secret,
        tenantId: options.tenantId ?? 'common',
        environment: options.environment ?? 'office365',
        ...(options.scopes ? { scopes: options.scopes } : {}),
      },
    },
  });
  assert.equal(created.statusCode, 202, created.body);
  const { id, authorizationUrl } = created.json();
  const location = await setup.em.consent(authorizationUrl, { user: options.user ?? ADELE });
  const callback = new URL(location);
  assert.equal(callback.origin + callback.pathname, `${PUBLIC_URL}/api/v1/oauth/callback`);
  const done = await setup.s.api('GET', callback.pathname + callback.search, { key: null, headers: { accept: 'application/json' } });
  return { id: id as string, authorizationUrl: authorizationUrl as string, callback: callback.pathname + callback.search, done };
}
