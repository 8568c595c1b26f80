-- Tenancy and access: tenants, users, folders (shared and personal), folder roles, API keys.

CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email text NOT NULL,
  display_name text NOT NULL,
  is_tenant_admin boolean NOT NULL DEFAULT false,
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_per_tenant ON users (tenant_id, lower(email));

CREATE TABLE folders (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- RESTRICT: a folder with subfolders cannot disappear under them.
  parent_id uuid REFERENCES folders (id) ON DELETE RESTRICT,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('shared', 'personal')),
  owner_id uuid REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'personal') = (owner_id IS NOT NULL)),
  CHECK (kind = 'shared' OR parent_id IS NULL)
);
-- Sibling shared folders have distinct names (case-insensitive), so fully qualified names are unique.
CREATE UNIQUE INDEX folders_sibling_names ON folders (tenant_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))
  WHERE kind = 'shared';
CREATE UNIQUE INDEX folders_one_workspace_per_user ON folders (owner_id) WHERE kind = 'personal';
CREATE INDEX folders_parent ON folders (parent_id);

CREATE TABLE folder_members (
  folder_id uuid NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('Administrator', 'Editor', 'User', 'Viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (folder_id, user_id)
);
CREATE INDEX folder_members_user ON folder_members (user_id);

CREATE TABLE api_keys (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  -- The first characters of the key, shown in lists so people can tell keys apart.
  prefix text NOT NULL,
  -- SHA-256 of the whole key; keys are 256-bit random, so a fast hash is enough.
  key_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_user ON api_keys (user_id);
