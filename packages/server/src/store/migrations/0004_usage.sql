-- Usage and troubleshooting: the ledger of vendor calls (billing, quotas), per-tenant quotas,
-- request logs with optional debug bodies, and which connections are in debug mode.

-- One row per vendor call (calls = 1), or the sum of many calls of one kind (calls > 1), written
-- when the in-memory buffer overflowed while the store was unreachable. No foreign keys: usage
-- is history, it outlives the folders and connections it was recorded against, and a batch
-- must never fail because one of them was deleted meanwhile.
CREATE TABLE usage_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  tenant_id uuid NOT NULL,
  folder_id uuid NOT NULL,
  connection_id uuid NOT NULL,
  connector text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('activity', 'http-request', 'trigger', 'identity')),
  operation text NOT NULL,
  -- NULL on aggregated rows and on calls without a response.
  status integer,
  error_code text,
  ok boolean NOT NULL,
  calls integer NOT NULL DEFAULT 1 CHECK (calls >= 1),
  -- Integration Activities this row counts for; 0 when not billable.
  billable_units integer NOT NULL DEFAULT 0 CHECK (billable_units >= 0),
  request_bytes bigint NOT NULL DEFAULT 0,
  response_bytes bigint NOT NULL DEFAULT 0,
  -- Total over `calls`, so sum(duration_ms) / sum(calls) is the mean whatever the row kind.
  duration_ms bigint NOT NULL DEFAULT 0
);
-- Serves the usage report (a tenant and a time range) and the quota count (this month).
CREATE INDEX usage_events_tenant_time ON usage_events (tenant_id, at);
CREATE INDEX usage_events_time ON usage_events (at);

-- A tenant's own monthly quota, overriding SWITCHBOARD_MONTHLY_ACTIVITY_QUOTA.
CREATE TABLE tenant_quotas (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  -- NULL: unlimited for this tenant, whatever the service default.
  monthly_activity_quota bigint CHECK (monthly_activity_quota >= 0),
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per vendor call, for troubleshooting; swept after SWITCHBOARD_LOG_RETENTION_DAYS.
CREATE TABLE request_logs (
  id uuid PRIMARY KEY,
  at timestamptz NOT NULL,
  -- The correlation id of the API request (or trigger run) that made the call.
  request_id text NOT NULL,
  tenant_id uuid NOT NULL,
  folder_id uuid NOT NULL,
  connection_id uuid NOT NULL,
  connector text NOT NULL,
  kind text NOT NULL,
  operation text NOT NULL,
  method text NOT NULL,
  -- Redacted: no user info, secret query parameters replaced.
  url text NOT NULL,
  status integer,
  error_code text,
  duration_ms integer NOT NULL,
  attempts integer NOT NULL,
  request_bytes bigint NOT NULL,
  response_bytes bigint NOT NULL
);
CREATE INDEX request_logs_tenant_time ON request_logs (tenant_id, at DESC, id DESC);
CREATE INDEX request_logs_request ON request_logs (tenant_id, request_id);
CREATE INDEX request_logs_connection_time ON request_logs (connection_id, at DESC);
CREATE INDEX request_logs_time ON request_logs (at);

-- Redacted, size-capped bodies of calls made while debug was on; swept after one day.
CREATE TABLE request_log_bodies (
  log_id uuid PRIMARY KEY REFERENCES request_logs (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  request_body text,
  response_body text,
  request_truncated boolean NOT NULL DEFAULT false,
  response_truncated boolean NOT NULL DEFAULT false
);
CREATE INDEX request_log_bodies_time ON request_log_bodies (at);

-- Connections whose calls keep their bodies until `until` (debug auto-expires).
CREATE TABLE connection_debug (
  connection_id uuid PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  until timestamptz NOT NULL,
  enabled_by uuid REFERENCES users (id) ON DELETE SET NULL,
  enabled_at timestamptz NOT NULL DEFAULT now()
);
