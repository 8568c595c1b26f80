/** Wire types of the REST API (the OpenAPI document at /api/v1/openapi.json is the authority). */
export type Role = 'Administrator' | 'Editor' | 'User' | 'Viewer';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Health {
  status: 'ok';
  version: string;
  store: 'embedded' | 'postgres';
}

export interface Folder {
  id: string;
  parentId: string | null;
  name: string;
  kind: 'shared' | 'personal';
  ownerId: string | null;
  fullyQualifiedName: string;
  role: Role | null;
  permissions: string[];
  createdAt: string;
  updatedAt: string;
}

export interface FolderMember {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  isTenantAdmin: boolean;
  personalFolderId: string;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface ConnectorSummary {
  key: string;
  displayName: string;
  vendor: string;
  description: string;
  categories: string[];
  icon?: string;
  docsUrl?: string;
  lifecycle: string;
  version: string;
  authTypes: { type: string; label: string; default: boolean }[];
  hasTriggers: boolean;
  hasHttpRequest: boolean;
  activityCount: number;
  triggerCount: number;
}

export interface ErrorCatalogEntry {
  code: string;
  status: number;
  title: string;
  meaning: string;
  fix: string;
}

// Connections ------------------------------------------------------------------------------

export type ConnectionStatus = 'Pending' | 'Connected' | 'Disabled';

export interface Connection {
  id: string;
  name: string;
  connector: string;
  connectorVersion: string;
  folderId: string;
  authType: string;
  account: string | null;
  accountId: string | null;
  status: ConnectionStatus;
  disabledReason: string | null;
  statusMessage: string | null;
  isDefault: boolean;
  owner: { id: string; email: string | null };
  environment: string | null;
  /** Non-secret field values; secrets are never returned. */
  fields: Record<string, unknown>;
  grantedScopes: string[];
  pollingIntervalMinutes: number;
  tokenExpiresAt: string | null;
  lastRefreshedAt: string | null;
  lastCheck: { at: string; ok: boolean; message: string | null } | null;
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A browser-based auth type waits for consent: open `authorizationUrl` (valid 10 minutes, once). */
export interface PendingConnection {
  id: string;
  status: 'Pending';
  authorizationUrl: string;
}

/** What create and reconnect answer: Connected at once (201/200), or Pending consent (202). Tell them apart with `'authorizationUrl' in result`. */
export type ConnectionResult = Connection | PendingConnection;

export interface CreateConnection {
  folderId: string;
  connector: string;
  authType?: string;
  name?: string;
  fields?: Record<string, unknown>;
  /** A path of the service to send the browser to after consent. */
  returnTo?: string;
}

export interface ConnectionDebug {
  connectionId: string;
  enabled: boolean;
  until: string | null;
}

// Activities -------------------------------------------------------------------------------

export interface Activity {
  key: string;
  displayName: string;
  description: string;
  kind: 'curated' | 'operation' | 'record';
  curated: boolean;
  category?: string;
  object?: string;
  scopes?: string[];
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  paginated: boolean;
  binary: boolean;
  composite: boolean;
}

export interface ActivityList {
  connector: string;
  httpRequest: { offered: boolean };
  items: Activity[];
}

export type TruncationReason = 'max-records' | 'max-pages' | 'repeated-cursor' | 'identical-page' | 'foreign-next-link';

export interface ActivityResult<T = unknown> {
  output: T;
  meta: {
    requestId: string;
    pages: number;
    calls: number;
    durationMs: number;
    truncated?: { reason: TruncationReason; message: string };
  };
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface HttpRequest {
  method: HttpMethod;
  /** Relative to the connection's base URL (joined onto its path), or an absolute URL on its origin. */
  path: string;
  query?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  headers?: Record<string, string>;
  body?: unknown;
  bodyEncoding?: 'json' | 'text' | 'base64';
}

/** The vendor's answer passed through: a vendor 404 is `status: 404` here, not a thrown error. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  bodyEncoding: 'json' | 'text' | 'base64' | 'none';
  meta: { requestId: string; attempts: number; durationMs: number };
}

// Triggers ---------------------------------------------------------------------------------

export type FilterOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains' | 'startsWith' | 'in' | 'exists';

export interface FilterCondition {
  /** A JSON Pointer (/sender/address) or a dotted path (sender.address, headers.x-event). */
  field: string;
  op: FilterOp;
  value?: unknown;
}

export type FilterGroup = { all: FilterNode[] } | { any: FilterNode[] };
export type FilterNode = FilterCondition | FilterGroup;

/** JMESPath text, conditions combined with all/any, or null for every event. */
export type TriggerFilter = string | FilterGroup | null;

export type TriggerTarget = { type: 'webhook'; url: string } | { type: 'queue' };
export type TriggerStartFrom = 'now' | { backfill: number };
export type TriggerStatus = 'Enabled' | 'Disabled';

export interface Trigger {
  id: string;
  name: string;
  folderId: string;
  connectionId: string;
  connector: string;
  trigger: string | null;
  object: string | null;
  event: string;
  mode: 'polling' | 'webhook';
  /** The trigger's own inputs (a mail folder, say), as its definition declares them. */
  input: Record<string, unknown>;
  /** The JMESPath that runs; `builder` is the structured filter it was compiled from, if any. */
  filter: { expression: string; builder: FilterGroup | null } | null;
  target: TriggerTarget;
  status: TriggerStatus;
  disabledReason: string | null;
  statusMessage: string | null;
  startFrom: TriggerStartFrom;
  /** Webhook triggers: the public URL events are sent to. */
  webhookUrl: string | null;
  /** The vendor subscription of an instant trigger, else null. */
  subscription: { vendorId: string | null; status: string; expiresAt: string | null; lastError: string | null } | null;
  health: {
    polls: number;
    consecutiveFailures: number;
    totalFailures: number;
    lastPolledAt: string | null;
    lastSuccessAt: string | null;
    lastFailureAt: string | null;
    lastError: string | null;
  };
  /** Its stored events at a glance: the newest, what waits (queue or retry), the dead letters. */
  events: { lastOccurredAt: string | null; pending: number; dead: number };
  createdAt: string;
  updatedAt: string;
}

/** Create and update answers: `signingSecret` (whsec_...) is shown only when a webhook target is first set. */
export interface CreatedTrigger extends Trigger {
  signingSecret: string | null;
}

export interface CreateTrigger {
  connectionId: string;
  name?: string;
  /** A trigger key of the connector; or `object` + `event` for a generic record event. */
  trigger?: string;
  object?: string;
  event?: string;
  input?: Record<string, unknown>;
  filter?: TriggerFilter;
  target: TriggerTarget;
  startFrom?: TriggerStartFrom;
  enabled?: boolean;
}

export interface UpdateTrigger {
  name?: string;
  enabled?: boolean;
  filter?: TriggerFilter;
  target?: TriggerTarget;
}

export type TriggerEventState = 'pending' | 'delivering' | 'delivered' | 'dead' | 'acked';

/** What a target receives; `id` is stable across retries and replays. */
export interface TriggerEventPayload {
  id: string;
  triggerId: string;
  connectionId: string;
  connector: string;
  event: string;
  objectType: string | null;
  objectId: string | null;
  occurredAt: string;
  record: unknown;
}

export interface TriggerEvent {
  id: string;
  event: string;
  objectType: string | null;
  objectId: string | null;
  occurredAt: string;
  state: TriggerEventState;
  delivery: 'webhook' | 'queue';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  finishedAt: string | null;
  createdAt: string;
  payload: TriggerEventPayload;
}

export interface TriggerAck {
  acked: string[];
  /** Ids not pending in this queue (unknown, or acknowledged before). */
  unknown: string[];
}

export interface TriggerTest {
  /** Webhook triggers: a sample body and headers to evaluate. */
  payload?: unknown;
  headers?: Record<string, string>;
  /** Polling triggers: how many of the newest records to read. */
  limit?: number;
}

export interface TriggerTestResult {
  filter: string | null;
  items: { matchesFilter: boolean; event: TriggerEventPayload }[];
}

export interface TriggerNotice {
  id: string;
  /** trigger.disabled, subscription.recreated, subscription.missed, cursor.reset, event.dead-lettered ... */
  type: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

// Usage and troubleshooting ----------------------------------------------------------------

export type UsageGroupBy = 'day' | 'connector' | 'folder' | 'kind';

export interface UsageFigures {
  calls: number;
  billable: number;
  errors: number;
  requestBytes: number;
  responseBytes: number;
  avgDurationMs: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
}

export interface UsageReport {
  from: string;
  to: string;
  groupBy: string[];
  totals: UsageFigures;
  items: (UsageFigures & { day?: string; connector?: string; folderId?: string; kind?: string })[];
}

export interface ActivityQuota {
  /** null: unlimited. */
  monthlyActivityQuota: number | null;
  source: 'tenant' | 'default';
  used: number;
  remaining: number | null;
  periodStart: string;
  resetsAt: string;
}

export interface RequestLog {
  id: string;
  at: string;
  requestId: string;
  folderId: string;
  connectionId: string;
  connector: string;
  /** activity, http-request, trigger or identity. */
  kind: string;
  operation: string;
  method: string;
  /** Secret query parameters are replaced by [redacted]. */
  url: string;
  status: number | null;
  errorCode: string | null;
  durationMs: number;
  attempts: number;
  requestBytes: number;
  responseBytes: number;
  hasBodies: boolean;
}

export interface RequestLogDetail extends RequestLog {
  requestBody: string | null;
  responseBody: string | null;
  bodiesTruncated: boolean;
  bodiesWithheld: boolean;
}

export interface VaultRotation {
  keyId: string;
  reencrypted: number;
  remaining: number;
}
