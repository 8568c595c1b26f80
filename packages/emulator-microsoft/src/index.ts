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
export type { ChangeQuery, GraphLatencyInput, GraphThrottleInput } from './admin-data/graph-faults.ts';
export type { MessageInput } from './admin-data/mail-admin.ts';
export type { EventInput } from './admin-data/calendar-admin.ts';
export type { ContactInput } from './admin-data/contacts-admin.ts';
export type { ContentInput, DriveOwnerRef, WorkbookInput } from './admin-data/files-admin.ts';
export type { ColumnInput, ListInput, SiteInput } from './admin-data/sites-admin.ts';
export type { DataSeed, FileSeed } from './admin-data/data-seed.ts';
export type { ChangeEntry, ChangeResource, ChangeType } from './data/change-log.ts';
export type { LifecycleSent, SubscriptionView } from './admin-data/subscriptions-admin.ts';
export type { DeliveryCounters } from './data/subscriptions/model.ts';
export type { LifecycleEvent } from './notifications/change-notification.ts';
export type { NotificationAttempt, NotificationKind, NotificationLogFilter } from './notifications/log.ts';
export { DEFAULT_NOTIFICATION_OPTIONS, type NotificationOptions } from './notifications/options.ts';
export type { TransportRecord } from './data/mail/transport.ts';
export { wellKnownFolderId } from './data/mail/folders.ts';
export { DEFAULT_DATA_IDS, defaultDataSeed } from './seed-data.ts';
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
