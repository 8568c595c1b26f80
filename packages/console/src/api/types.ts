/** Wire types the console reads: the SDK's, so the console and other clients agree on the API. */
export type {
  Connection,
  ConnectionStatus,
  ConnectorSummary,
  ErrorCatalogEntry,
  Folder,
  FolderMember,
  Page,
  PendingConnection,
  Role,
  Trigger,
  TriggerEvent,
  User,
} from '@switchboard/sdk';
import type { User } from '@switchboard/sdk';

/** The console's own sign-in state (GET /api/v1/session); no other client uses it. */
export interface Session {
  user: User;
  authenticatedWith: 'session' | 'api-key';
  csrfToken: string | null;
  expiresAt: string | null;
  idleTimeoutMinutes: number;
}
