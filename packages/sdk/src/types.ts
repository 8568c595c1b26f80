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
