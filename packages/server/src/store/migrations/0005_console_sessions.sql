-- Console sign-in: password bookkeeping and one-time invitations on users, and browser sessions.
-- users.password_hash already exists (0001); it holds an scrypt hash with its own salt and cost.

ALTER TABLE users ADD COLUMN password_changed_at timestamptz;
-- One pending invitation per user: a new one replaces the old. The link's token is stored hashed.
ALTER TABLE users ADD COLUMN invitation_hash text UNIQUE;
ALTER TABLE users ADD COLUMN invitation_expires_at timestamptz;

CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- SHA-256 of the cookie value; the value is 256 random bits, so a fast hash is enough and a
  -- stolen copy of this table signs nobody in.
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Idle expiry is judged on last_seen_at; expires_at is the absolute end, whatever the activity.
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  user_agent text,
  ip text
);
CREATE INDEX sessions_user ON sessions (user_id);
