/**
 * @switchboard/emulator-microsoft: a local emulator of the Microsoft identity platform v2.0 and
 * Microsoft Graph v1.0, in all four national-cloud environments.
 */
export { startMicrosoftEmulator, DEFAULT_PORT, type MicrosoftEmulator, type StartMicrosoftEmulatorOptions } from './emulator.ts';
export type {
  AppView,
  ConsentErrorInput,
  DirectorySnapshot,
  IssueTokenInput,
  TokenFailureInput,
  UserView,
} from './admin.ts';
export { ConsentError, type ConsentOptions } from './consent-driver.ts';
export type {
  AppInput,
  CertificateInput,
  DelegatedConsentInput,
  EmulatorSeed,
  SecretInput,
  TenantInput,
  UserInput,
} from './directory.ts';
export { defaultSeed, DEFAULT_SEED_IDS, DEFAULT_REDIRECT_URIS, CONSUMER_TENANT_ID } from './seed.ts';
export { InputError, NotFoundError } from './input.ts';
export {
  LISTENERS,
  LISTENER_NAMES,
  LOGIN_CLOUDS,
  GRAPH_APP_ID,
  type ListenerName,
  type LoginCloudName,
} from './clouds.ts';
export type { RequestLogEntry, RequestLogFilter, TokenStats } from './request-log.ts';
export type { Tenant, TokenSettings } from './model.ts';
