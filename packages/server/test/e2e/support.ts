import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MicrosoftEmulator, startMicrosoftEmulator } from '@switchboard/emulator-microsoft';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { ensureConsoleBuilt } from '../../../console/scripts/ensure-built.mjs';
import type { Clock } from '../../src/triggers/delivery/policy.ts';
import { type TestService, startTestService } from '../support/service.ts';
import { startTriggerService } from '../support/triggers.ts';

/** Debian's chromium: `npx playwright install` cannot download browsers here (and CI installs it with apt). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const ADMIN_EMAIL = 'admin@switchboard.local';
export const ADMIN_PASSWORD = 'e2e administrator passphrase';
/** Screenshots for people to look at: gitignored, kept by CI as artifacts. */
export const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/console/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A laptop-sized window; the console is built for 1280-1440 px wide screens and works narrower. */
export async function newPage(browser: Browser, origin: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, baseURL: origin, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ConsoleSetup {
  s: TestService;
  em: MicrosoftEmulator;
  /** The service's real origin, which is also its PUBLIC_URL. */
  origin: string;
  close(): Promise<void>;
}

export interface ConsoleOptions {
  /**
   * Run the trigger engine in the test process (polls, deliveries, vendor subscriptions; a fast
   * tick), on this clock: a test moves a ManualClock past the polling interval instead of waiting.
   * The service is then support/triggers.ts's: private webhook targets allowed, the test-only
   * Acme Tickets connector in the catalog.
   */
  triggers?: { clock: Clock };
}

/**
 * The service on a real port (a browser needs one) with the built console, its Microsoft
 * hosts mapped to a fresh emulator whose apps accept this origin's OAuth callback.
 */
export async function startConsole(options: ConsoleOptions = {}): Promise<ConsoleSetup> {
  ensureConsoleBuilt();
  const em = await startMicrosoftEmulator({ port: 0 });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  for (const app of em.seed.apps) em.upsertApp({ ...app, redirectUris: [...(app.redirectUris ?? []), `${origin}/api/v1/oauth/callback`] });
  const env = {
    PORT: String(port),
    PUBLIC_URL: origin,
    SWITCHBOARD_HOST_MAP: em.hostMap,
    SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
  };
  const s: TestService = options.triggers
    ? await startTriggerService('embedded', { env, clock: options.triggers.clock })
    : await startTestService('embedded', env);
  await s.sb.app.listen({ host: '127.0.0.1', port });
  return {
    s,
    em,
    origin,
    async close() {
      await s.close();
      await em.close();
    },
  };
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

/**
 * A delegated Microsoft 365 connection made through the API and the emulator's consent (the
 * console's own form is covered by console-connections.test.ts), for tests about what comes after.
 */
export async function connectThroughApi(setup: ConsoleSetup, input: { folderId: string; user: string; clientId: string; clientSecret: string; scopes?: string[] }): Promise<string> {
  const created = await setup.s.api('POST', '/api/v1/connections', {
    body: {
      folderId: input.folderId,
      connector: 'microsoft-365',
      authType: 'oauth2-byoa',
      fields: { clientId: input.clientId, clientSecret: input.clientSecret, environment: 'office365', ...(input.scopes ? { scopes: input.scopes } : {}) },
    },
  });
  if (created.statusCode !== 202) throw new Error(`create answered ${created.statusCode}: ${created.body}`);
  const callback = new URL(await setup.em.consent(created.json().authorizationUrl, { user: input.user }));
  const done = await setup.s.api('GET', callback.pathname + callback.search, { key: null, headers: { accept: 'application/json' } });
  if (done.statusCode !== 200) throw new Error(`callback answered ${done.statusCode}: ${done.body}`);
  return created.json().id;
}
