import { type ProblemBody, SwitchboardError } from './problem.ts';
import type { ApiKey, ConnectorSummary, CreatedApiKey, Folder, FolderMember, Health, Page, Role, User } from './types.ts';

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
}
