import { resolve } from 'node:path';

/** Everything the service reads from its environment, parsed once at start. */
export interface Config {
  host: string;
  port: number;
  /** Origin used in links and OAuth redirect URIs; never derived from request headers (host-header injection). */
  publicUrl: string;
  /** `undefined` selects the embedded PGlite store in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  /** Fixed administrator API key for automation; otherwise a random one is printed once. */
  bootstrapAdminKey: string | undefined;
  bootstrapAdminEmail: string;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Master key of the vault (base64 or hex of 32 bytes); generated into dataDir for the embedded store when unset. */
  masterKey: string | undefined;
  /** Earlier master keys, comma-separated: data keys wrapped by them are re-wrapped with masterKey at start. */
  previousMasterKeys: string | undefined;
  /** Vendor hosts redirected to local origins (emulators, tests); see README. */
  hostMap: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const host = env.HOST || '127.0.0.1';
  const port = parsePort(env.PORT ?? '8080');
  const publicUrl = parsePublicUrl(env.PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  const bodyLimit = parsePositiveInt('SWITCHBOARD_BODY_LIMIT', env.SWITCHBOARD_BODY_LIMIT ?? String(10 * 1024 * 1024));
  const bootstrapAdminKey = env.SWITCHBOARD_BOOTSTRAP_ADMIN_KEY || undefined;
  if (bootstrapAdminKey !== undefined && bootstrapAdminKey.length < 24) {
    throw new ConfigError('SWITCHBOARD_BOOTSTRAP_ADMIN_KEY must be at least 24 characters long');
  }
  return {
    host,
    port,
    publicUrl,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.SWITCHBOARD_DATA_DIR || '.switchboard'),
    logLevel: env.LOG_LEVEL || 'info',
    bootstrapAdminKey,
    bootstrapAdminEmail: env.SWITCHBOARD_BOOTSTRAP_ADMIN_EMAIL || 'admin@switchboard.local',
    bodyLimit,
    masterKey: env.SWITCHBOARD_MASTER_KEY || undefined,
    previousMasterKeys: env.SWITCHBOARD_PREVIOUS_MASTER_KEYS || undefined,
    hostMap: env.SWITCHBOARD_HOST_MAP || undefined,
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${value}"`);
  return port;
}

function parsePositiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer, got "${value}"`);
  return n;
}

function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`PUBLIC_URL must use http or https, got "${value}"`);
  if (url.search || url.hash) throw new ConfigError('PUBLIC_URL must not have a query or fragment');
  return url.origin + url.pathname.replace(/\/+$/, '');
}
