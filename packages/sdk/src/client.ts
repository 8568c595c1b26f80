import { type ProblemBody, SwitchboardError } from './problem.ts';
import type {
  Activity,
  ActivityList,
  ActivityQuota,
  ActivityResult,
  ApiKey,
  Connection,
  ConnectionDebug,
  ConnectionResult,
  ConnectionStatus,
  ConnectorSummary,
  CreateConnection,
  CreateTrigger,
  CreatedApiKey,
  CreatedTrigger,
  ErrorCatalogEntry,
  Folder,
  FolderMember,
  Health,
  HttpRequest,
  HttpResponse,
  Page,
  RequestLog,
  RequestLogDetail,
  Role,
  Trigger,
  TriggerAck,
  TriggerEvent,
  TriggerEventState,
  TriggerNotice,
  TriggerStatus,
  TriggerTest,
  TriggerTestResult,
  UpdateTrigger,
  UsageReport,
  User,
  VaultRotation,
} from './types.ts';

export interface ClientOptions {
  /** Service origin, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  apiKey?: string | undefined;
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | boolean | undefined>;

/** A typed client for the Switchboard REST API. Every method maps to one endpoint. */
export class SwitchboardClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
  }

  async request<T>(method: string, path: string, init: { query?: Query; body?: unknown } = {}): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetchImpl(url, { method, headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const problem = body && typeof body === 'object' && 'code' in body ? (body as ProblemBody) : { status: response.status, code: 'HTTP_ERROR', detail: text || response.statusText };
      throw new SwitchboardError(problem);
    }
    return body as T;
  }

  health() {
    return this.request<Health>('GET', '/api/v1/health');
  }

  readonly connectors = {
    list: (query: { q?: string; category?: string; authType?: string; hasTriggers?: boolean; limit?: number; cursor?: string } = {}) =>
      this.request<Page<ConnectorSummary>>('GET', '/api/v1/connectors', { query }),
    get: (key: string) => this.request<Record<string, unknown>>('GET', `/api/v1/connectors/${encodeURIComponent(key)}`),
  };

  readonly folders = {
    list: (query: { kind?: 'shared' | 'personal'; limit?: number; cursor?: string } = {}) => this.request<Page<Folder>>('GET', '/api/v1/folders', { query }),
    get: (id: string) => this.request<Folder>('GET', `/api/v1/folders/${encodeURIComponent(id)}`),
    create: (body: { name: string; parentId?: string | null }) => this.request<Folder>('POST', '/api/v1/folders', { body }),
    update: (id: string, body: { name?: string; parentId?: string | null }) => this.request<Folder>('PATCH', `/api/v1/folders/${encodeURIComponent(id)}`, { body }),
    delete: (id: string) => this.request<void>('DELETE', `/api/v1/folders/${encodeURIComponent(id)}`),
    members: (id: string) => this.request<{ items: FolderMember[] }>('GET', `/api/v1/folders/${encodeURIComponent(id)}/members`),
    setMember: (id: string, userId: string, role: Role) =>
      this.request<FolderMember>('PUT', `/api/v1/folders/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`, { body: { role } }),
    removeMember: (id: string, userId: string) => this.request<void>('DELETE', `/api/v1/folders/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`),
  };

  readonly users = {
    list: (query: { limit?: number; cursor?: string } = {}) => this.request<Page<User>>('GET', '/api/v1/users', { query }),
    get: (id: string) => this.request<User>('GET', `/api/v1/users/${encodeURIComponent(id)}`),
    create: (body: { email: string; displayName?: string; isTenantAdmin?: boolean }) => this.request<User>('POST', '/api/v1/users', { body }),
  };

  readonly apiKeys = {
    list: (userId = 'me') => this.request<{ items: ApiKey[] }>('GET', `/api/v1/users/${encodeURIComponent(userId)}/api-keys`),
    create: (body: { name: string; expiresAt?: string }, userId = 'me') =>
      this.request<CreatedApiKey>('POST', `/api/v1/users/${encodeURIComponent(userId)}/api-keys`, { body }),
    revoke: (keyId: string, userId = 'me') => this.request<ApiKey>('DELETE', `/api/v1/users/${encodeURIComponent(userId)}/api-keys/${encodeURIComponent(keyId)}`),
  };

  readonly connections = {
    list: (query: { folderId?: string; connector?: string; status?: ConnectionStatus; defaultsOnly?: boolean; limit?: number; cursor?: string } = {}) =>
      this.request<Page<Connection>>('GET', '/api/v1/connections', { query }),
    get: (id: string) => this.request<Connection>('GET', `/api/v1/connections/${encodeURIComponent(id)}`),
    /** 201 Connected for auth types verified at once; 202 Pending with an authorizationUrl for browser consent. */
    create: (body: CreateConnection) => this.request<ConnectionResult>('POST', '/api/v1/connections', { body }),
    update: (id: string, body: { name?: string; isDefault?: boolean; pollingIntervalMinutes?: number }) =>
      this.request<Connection>('PATCH', `/api/v1/connections/${encodeURIComponent(id)}`, { body }),
    /** Revokes the tokens where the vendor supports it, deletes the connection and its triggers. */
    delete: (id: string) => this.request<{ deleted: boolean; tokensRevoked: boolean }>('DELETE', `/api/v1/connections/${encodeURIComponent(id)}`),
    check: (id: string) => this.request<Connection>('POST', `/api/v1/connections/${encodeURIComponent(id)}/check`),
    reconnect: (id: string, body: { fields?: Record<string, unknown>; returnTo?: string } = {}) =>
      this.request<ConnectionResult>('POST', `/api/v1/connections/${encodeURIComponent(id)}/reconnect`, { body }),
    debug: (id: string) => this.request<ConnectionDebug>('GET', `/api/v1/connections/${encodeURIComponent(id)}/debug`),
    /** While on, the connection's calls keep their (redacted) bodies in the request logs. */
    setDebug: (id: string, body: { enabled: boolean; minutes?: number }) => this.request<ConnectionDebug>('PUT', `/api/v1/connections/${encodeURIComponent(id)}/debug`, { body }),
  };

  readonly activities = {
    list: (connector: string) => this.request<ActivityList>('GET', `/api/v1/connectors/${encodeURIComponent(connector)}/activities`),
    get: (connector: string, activity: string) => this.request<Activity>('GET', `/api/v1/connectors/${encodeURIComponent(connector)}/activities/${encodeURIComponent(activity)}`),
    /** File activities answer {fileName, contentType, size, contentBase64} here (the client asks for JSON). */
    run: <T = unknown>(connectionId: string, activity: string, input: Record<string, unknown> = {}) =>
      this.request<ActivityResult<T>>('POST', `/api/v1/connections/${encodeURIComponent(connectionId)}/activities/${encodeURIComponent(activity)}`, { body: { input } }),
    /** The HTTP Request activity: the vendor's status, headers and body come back in the envelope. */
    http: (connectionId: string, body: HttpRequest) => this.request<HttpResponse>('POST', `/api/v1/connections/${encodeURIComponent(connectionId)}/http`, { body }),
  };

  readonly triggers = {
    list: (query: { folderId?: string; connectionId?: string; status?: TriggerStatus; limit?: number; cursor?: string } = {}) =>
      this.request<Page<Trigger>>('GET', '/api/v1/triggers', { query }),
    get: (id: string) => this.request<Trigger>('GET', `/api/v1/triggers/${encodeURIComponent(id)}`),
    create: (body: CreateTrigger) => this.request<CreatedTrigger>('POST', '/api/v1/triggers', { body }),
    update: (id: string, body: UpdateTrigger) => this.request<CreatedTrigger>('PATCH', `/api/v1/triggers/${encodeURIComponent(id)}`, { body }),
    delete: (id: string) => this.request<void>('DELETE', `/api/v1/triggers/${encodeURIComponent(id)}`),
    /** Newest first; `state: 'pending'` is the pull queue (oldest first), `state: 'dead'` the dead letters. */
    events: (id: string, query: { state?: TriggerEventState; limit?: number; cursor?: string } = {}) =>
      this.request<Page<TriggerEvent>>('GET', `/api/v1/triggers/${encodeURIComponent(id)}/events`, { query }),
    ack: (id: string, ids: string[]) => this.request<TriggerAck>('POST', `/api/v1/triggers/${encodeURIComponent(id)}/events/ack`, { body: { ids } }),
    replay: (id: string, eventId: string) => this.request<TriggerEvent>('POST', `/api/v1/triggers/${encodeURIComponent(id)}/events/${encodeURIComponent(eventId)}/replay`),
    test: (id: string, body: TriggerTest = {}) => this.request<TriggerTestResult>('POST', `/api/v1/triggers/${encodeURIComponent(id)}/test`, { body }),
    notices: (id: string) => this.request<{ items: TriggerNotice[] }>('GET', `/api/v1/triggers/${encodeURIComponent(id)}/notices`),
  };

  readonly usage = {
    /** `groupBy`: comma-separated subset of day, connector, folder, kind; `from`/`to`: UTC days (YYYY-MM-DD), inclusive. */
    report: (query: { from?: string; to?: string; groupBy?: string; folderId?: string; connector?: string } = {}) =>
      this.request<UsageReport>('GET', '/api/v1/usage', { query }),
    quota: () => this.request<ActivityQuota>('GET', '/api/v1/usage/quota'),
    /** Tenant administrators; null is unlimited. */
    setQuota: (monthlyActivityQuota: number | null) => this.request<ActivityQuota>('PUT', '/api/v1/usage/quota', { body: { monthlyActivityQuota } }),
    /** Back to the service's default (SWITCHBOARD_MONTHLY_ACTIVITY_QUOTA). */
    resetQuota: () => this.request<ActivityQuota>('DELETE', '/api/v1/usage/quota'),
  };

  readonly logs = {
    /** `status`: an exact status (404), a class (4xx), or `error`; `from`/`to`: ISO 8601. */
    list: (
      query: { connectionId?: string; connector?: string; folderId?: string; status?: string; errorCode?: string; requestId?: string; from?: string; to?: string; limit?: number; cursor?: string } = {},
    ) => this.request<Page<RequestLog>>('GET', '/api/v1/logs', { query }),
    get: (id: string) => this.request<RequestLogDetail>('GET', `/api/v1/logs/${encodeURIComponent(id)}`),
  };

  /** The error catalog: every stable error code with its meaning and fix. */
  errors() {
    return this.request<{ items: ErrorCatalogEntry[] }>('GET', '/api/v1/errors');
  }

  readonly vault = {
    /** Tenant administrators: a new data key, every secret re-encrypted online. */
    rotate: () => this.request<VaultRotation>('POST', '/api/v1/vault/rotate'),
  };
}
