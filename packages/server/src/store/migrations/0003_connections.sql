-- Connections: authenticated accounts of a connector, kept in a folder. Secrets live in vault_secrets.

CREATE TABLE connections (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- RESTRICT: a folder cannot be deleted while it holds connections.
  folder_id uuid NOT NULL REFERENCES folders (id) ON DELETE RESTRICT,
  connector_key text NOT NULL,
  connector_version text NOT NULL,
  auth_type text NOT NULL,
  name text NOT NULL,
  -- True while the name was not chosen by a person: it then follows the connection account.
  name_auto boolean NOT NULL DEFAULT false,
  -- The connection account (mailbox address, user name, app id) and the vendor's stable id for it.
  account text,
  account_id text,
  status text NOT NULL CHECK (status IN ('Pending', 'Connected', 'Disabled')),
  -- Machine-readable reason (e.g. refresh_token_revoked) and the actionable message shown to people.
  disabled_reason text,
  status_message text,
  is_default boolean NOT NULL DEFAULT false,
  owner_id uuid NOT NULL REFERENCES users (id),
  environment text,
  -- Non-secret field values (tenant id, scopes, base URL, mailbox ...); secret ones are in the vault.
  config jsonb NOT NULL DEFAULT '{}',
  -- Values the vendor returned at authorisation (e.g. an instance URL), used in templates.
  metadata jsonb NOT NULL DEFAULT '{}',
  granted_scopes jsonb NOT NULL DEFAULT '[]',
  polling_interval_minutes integer NOT NULL DEFAULT 5 CHECK (polling_interval_minutes >= 1),
  token_expires_at timestamptz,
  last_refreshed_at timestamptz,
  last_checked_at timestamptz,
  last_check_ok boolean,
  last_check_message text,
  last_used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Exactly one default per connector per folder; the index makes a second one impossible even under races.
CREATE UNIQUE INDEX connections_one_default ON connections (folder_id, connector_key) WHERE is_default;
CREATE INDEX connections_tenant_folder ON connections (tenant_id, folder_id);
CREATE INDEX connections_refresh_due ON connections (token_expires_at) WHERE status = 'Connected';

-- Pending browser authorisations. Only the hash of `state` is stored; the PKCE verifier and any
-- new field values of a reconnect are in the vault under scope 'oauth-state'.
CREATE TABLE oauth_states (
  id uuid PRIMARY KEY,
  state_hash text NOT NULL UNIQUE,
  connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('connect', 'reconnect')),
  return_to text,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_states_connection ON oauth_states (connection_id);

-- Things that happened to connections, for notifications (connection.disabled, connection.reconnected ...).
CREATE TABLE connection_events (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id uuid NOT NULL,
  folder_id uuid NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connection_events_tenant_time ON connection_events (tenant_id, created_at DESC);
