import { resolve } from 'node:path';
import { PASSWORD_MIN_LENGTH } from '../access/passwords.ts';

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
  /** The bootstrap administrator's console password; otherwise a random one is printed once. */
  bootstrapAdminPassword: string | undefined;
  /** Console sessions end after this many idle minutes, and this many hours after sign-in at the latest. */
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** The built console (index.html and assets); default packages/console/dist. */
  consoleDir: string | undefined;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Master key of the vault (base64 or hex of 32 bytes); generated into dataDir for the embedded store when unset. */
  masterKey: string | undefined;
  /** Earlier master keys, comma-separated: data keys wrapped by them are re-wrapped with masterKey at start. */
  previousMasterKeys: string | undefined;
  /** Vendor hosts redirected to local origins (emulators, tests); see README. */
  hostMap: string | undefined;
  /** Vendor calls: time limit of one call, waits and retries included (SWITCHBOARD_ACTIVITY_TIMEOUT_MS). */
  activityTimeoutMs: number;
  /** Vendor calls: largest JSON response read into memory (SWITCHBOARD_MAX_JSON_BYTES). */
  maxJsonBytes: number;
  /** Vendor calls: largest other response read into memory; streamed downloads are not limited. */
  maxResponseBytes: number;
  /** Vendor calls: base of the full-jitter backoff between retries, in ms. */
  retryBaseDelayMs: number;
  /** Vendor calls: host names (or `*.suffix`) that may resolve to private addresses (on-premises APIs). */
  privateHosts: string[];
  /** Billable activities a tenant may use per calendar month (UTC) unless it has its own quota; null is unlimited. */
  monthlyActivityQuota: number | null;
  /** Days request log entries are kept (their debug bodies: one day). */
  logRetentionDays: number;
  /** Days usage ledger rows are kept; at least a month, or quotas would count too little. */
  usageRetentionDays: number;
  /** Triggers: inbound webhook events accepted per tenant per minute (more: 429). */
  webhookRateLimit: number;
  /** Triggers: whether event deliveries may go to loopback and private-network addresses. */
  allowPrivateTargets: boolean;
  /** Triggers: server-side connector settings (e.g. a vendor app's webhook signing secret), by connector key. */
  connectorSettings: Record<string, Record<string, string>>;
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
  const bootstrapAdminPassword = env.SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD || undefined;
  if (bootstrapAdminPassword !== undefined && [...bootstrapAdminPassword].length < PASSWORD_MIN_LENGTH) {
    throw new ConfigError(`SWITCHBOARD_BOOTSTRAP_ADMIN_PASSWORD must be at least ${PASSWORD_MIN_LENGTH} characters long`);
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
    bootstrapAdminPassword,
    sessionIdleMinutes: parsePositiveInt('SWITCHBOARD_SESSION_IDLE_MINUTES', env.SWITCHBOARD_SESSION_IDLE_MINUTES || '480'),
    sessionMaxHours: parsePositiveInt('SWITCHBOARD_SESSION_MAX_HOURS', env.SWITCHBOARD_SESSION_MAX_HOURS || '168'),
    consoleDir: env.SWITCHBOARD_CONSOLE_DIR ? resolve(env.SWITCHBOARD_CONSOLE_DIR) : undefined,
    bodyLimit,
    masterKey: env.SWITCHBOARD_MASTER_KEY || undefined,
    previousMasterKeys: env.SWITCHBOARD_PREVIOUS_MASTER_KEYS || undefined,
    hostMap: env.SWITCHBOARD_HOST_MAP || undefined,
    activityTimeoutMs: parsePositiveInt('SWITCHBOARD_ACTIVITY_TIMEOUT_MS', env.SWITCHBOARD_ACTIVITY_TIMEOUT_MS || '90000'),
    maxJsonBytes: parsePositiveInt('SWITCHBOARD_MAX_JSON_BYTES', env.SWITCHBOARD_MAX_JSON_BYTES || String(8 * 1024 * 1024)),
    maxResponseBytes: parsePositiveInt('SWITCHBOARD_MAX_RESPONSE_BYTES', env.SWITCHBOARD_MAX_RESPONSE_BYTES || String(25 * 1024 * 1024)),
    retryBaseDelayMs: parsePositiveInt('SWITCHBOARD_RETRY_BASE_DELAY_MS', env.SWITCHBOARD_RETRY_BASE_DELAY_MS || '500'),
    privateHosts: (env.SWITCHBOARD_PRIVATE_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean),
    monthlyActivityQuota: env.SWITCHBOARD_MONTHLY_ACTIVITY_QUOTA ? parseQuota(env.SWITCHBOARD_MONTHLY_ACTIVITY_QUOTA) : null,
    logRetentionDays: parsePositiveInt('SWITCHBOARD_LOG_RETENTION_DAYS', env.SWITCHBOARD_LOG_RETENTION_DAYS || '7'),
    usageRetentionDays: parseUsageRetention(env.SWITCHBOARD_USAGE_RETENTION_DAYS || '400'),
    webhookRateLimit: parsePositiveInt('SWITCHBOARD_WEBHOOK_RATE_LIMIT', env.SWITCHBOARD_WEBHOOK_RATE_LIMIT || '500'),
    allowPrivateTargets: parseFlag('SWITCHBOARD_ALLOW_PRIVATE_TARGETS', env.SWITCHBOARD_ALLOW_PRIVATE_TARGETS),
    connectorSettings: parseConnectorSettings(env.SWITCHBOARD_CONNECTOR_SETTINGS),
  };
}

function parseFlag(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

/** `{"connector-key": {"settingName": "value"}}`: secrets an operator holds for a whole connector. */
function parseConnectorSettings(value: string | undefined): Record<string, Record<string, string>> {
  if (!value) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigError('SWITCHBOARD_CONNECTOR_SETTINGS must be a JSON object like {"connector": {"setting": "value"}}');
  }
  const ok = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) &&
    Object.values(parsed).every((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'));
  if (!ok) throw new ConfigError('SWITCHBOARD_CONNECTOR_SETTINGS must map connector keys to objects of string settings');
  return parsed as Record<string, Record<string, string>>;
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

/** `unlimited` (or unset) means no quota; 0 is a valid quota that allows no billable call. */
function parseQuota(value: string): number | null {
  if (value.toLowerCase() === 'unlimited') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`SWITCHBOARD_MONTHLY_ACTIVITY_QUOTA must be a non-negative integer or "unlimited", got "${value}"`);
  return n;
}

function parseUsageRetention(value: string): number {
  const n = parsePositiveInt('SWITCHBOARD_USAGE_RETENTION_DAYS', value);
  if (n < 32) throw new ConfigError(`SWITCHBOARD_USAGE_RETENTION_DAYS must be at least 32 (a whole month for quotas), got "${value}"`);
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
