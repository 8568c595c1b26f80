-- The credential vault: data keys wrapped by the master key, and every secret encrypted by a data key.

CREATE TABLE vault_keys (
  id text PRIMARY KEY,
  -- AES-256-GCM of the data key under the master key; `kek_id` says which master key.
  wrapped text NOT NULL,
  kek_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('active', 'retired')),
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
-- At most one active data key: new secrets are encrypted with it.
CREATE UNIQUE INDEX vault_keys_one_active ON vault_keys (state) WHERE state = 'active';

CREATE TABLE vault_secrets (
  -- What the secret belongs to, e.g. ('connection', <connection id>); bound into the ciphertext as associated data.
  scope text NOT NULL,
  owner_id uuid NOT NULL,
  ciphertext text NOT NULL,
  key_id text NOT NULL REFERENCES vault_keys (id),
  -- Bumped on every write: compare-and-swap for concurrent token refreshes.
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, owner_id)
);
CREATE INDEX vault_secrets_key ON vault_secrets (key_id);
