/** Wire types the console reads. The SDK's where it has them; the rest mirror the server's schemas. */
export type { ConnectorSummary, Folder, FolderMember, Page, Role, User } from '@switchboard/sdk';
import type { User } from '@switchboard/sdk';

export interface Session {
  user: User;
  authenticatedWith: 'session' | 'api-key';
  csrfToken: string | null;
  expiresAt: string | null;
  idleTimeoutMinutes: number;
}

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

export interface PendingConnection {
  id: string;
  status: 'Pending';
  authorizationUrl: string;
}

export interface ErrorCatalogEntry {
  code: string;
  status: number;
  title: string;
  meaning: string;
  fix: string;
}

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
  filter: { expression: string; builder?: unknown } | null;
  target: { type: 'webhook'; url: string } | { type: 'queue' };
  status: 'Enabled' | 'Disabled';
  disabledReason: string | null;
  statusMessage: string | null;
  webhookUrl: string | null;
  /** The vendor subscription of an instant trigger (Graph change notifications), else null. */
  subscription: { vendorId: string | null; status: string; expiresAt: string | null; lastError: string | null } | null;
  health: { polls: number; consecutiveFailures: number; lastPolledAt: string | null; lastSuccessAt: string | null; lastError: string | null };
  createdAt: string;
}

export interface TriggerEvent {
  id: string;
  event: string;
  objectId: string | null;
  occurredAt: string;
  state: 'pending' | 'delivering' | 'delivered' | 'dead' | 'acked';
  delivery: 'webhook' | 'queue';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  payload: { record: unknown };
}
