-- Triggers: a connection's event, a filter and a delivery target; their durable polling cursors,
-- webhook endpoints and vendor subscriptions; the events they caught (the delivery outbox) and
-- what happened to them (trigger_notices).

CREATE TABLE triggers (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- Always the connection's folder: access to a trigger follows access to its connection.
  folder_id uuid NOT NULL REFERENCES folders (id) ON DELETE RESTRICT,
  -- Deleting a connection deletes its triggers (the connection service's hook does it first,
  -- with their secrets; the cascade is the safety net).
  connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  connector_key text NOT NULL,
  name text NOT NULL,
  -- A trigger of the connector definition, or NULL for a generic record event on object_key.
  trigger_key text,
  object_key text,
  event text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('polling', 'webhook')),
  input jsonb NOT NULL DEFAULT '{}',
  -- The structured filter as the caller sent it (NULL when they wrote JMESPath) and the
  -- expression actually evaluated (NULL: every event passes).
  filter_builder jsonb,
  filter_expression text,
  -- {"type":"webhook","url":"https://..."} or {"type":"queue"}.
  target jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('Enabled', 'Disabled')),
  disabled_reason text,
  status_message text,
  -- "now" or {"backfill": n}: what the first poll fires.
  start_from jsonb NOT NULL DEFAULT '"now"',
  -- Polling position (watermark and boundary ids, or a delta link); NULL before the first poll.
  -- cursor_version makes every advance a compare-and-swap.
  cursor jsonb,
  cursor_version integer NOT NULL DEFAULT 0,
  polls bigint NOT NULL DEFAULT 0,
  consecutive_failures integer NOT NULL DEFAULT 0,
  total_failures bigint NOT NULL DEFAULT 0,
  last_polled_at timestamptz,
  last_success_at timestamptz,
  last_failure_at timestamptz,
  last_error text,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX triggers_connection ON triggers (connection_id);
CREATE INDEX triggers_tenant_folder ON triggers (tenant_id, folder_id, created_at);

-- Public inbound URLs: /api/v1/webhooks/{routing_key}. One per connection for webhooks people
-- register by hand (HTTP Webhook: every webhook trigger of the connection hears it), one per
-- trigger for subscriptions Switchboard registers at the vendor.
CREATE TABLE webhook_endpoints (
  routing_key text PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  trigger_id uuid REFERENCES triggers (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX webhook_endpoints_connection ON webhook_endpoints (connection_id) WHERE trigger_id IS NULL;
CREATE UNIQUE INDEX webhook_endpoints_trigger ON webhook_endpoints (trigger_id) WHERE trigger_id IS NOT NULL;

-- Vendor-side webhook registrations (e.g. Microsoft Graph subscriptions). Their client state or
-- signing secret is in the vault (scope trigger-subscription).
CREATE TABLE trigger_subscriptions (
  trigger_id uuid PRIMARY KEY REFERENCES triggers (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  vendor_id text,
  status text NOT NULL CHECK (status IN ('Active', 'Failed')),
  expires_at timestamptz,
  -- When upkeep should renew it; claiming a renewal moves it forward (a lease), so one instance does it.
  renew_at timestamptz,
  last_renewed_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trigger_subscriptions_renew ON trigger_subscriptions (renew_at) WHERE renew_at IS NOT NULL;

-- When each connection is polled next. A poll is claimed by moving next_poll_at forward in one
-- UPDATE, so among any number of instances exactly one polls a connection per interval.
CREATE TABLE trigger_polls (
  connection_id uuid PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  next_poll_at timestamptz NOT NULL,
  last_started_at timestamptz,
  last_finished_at timestamptz,
  polls bigint NOT NULL DEFAULT 0
);
CREATE INDEX trigger_polls_due ON trigger_polls (next_poll_at);

-- Every event a trigger caught: stored before a webhook is acknowledged and in the same
-- transaction as a poll's cursor advance, then delivered from here (the outbox). The id is
-- stable across retries and replays, so receivers can deduplicate on it.
CREATE TABLE trigger_events (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  trigger_id uuid NOT NULL REFERENCES triggers (id) ON DELETE CASCADE,
  -- (object id, version) for polls, the vendor's event id for webhooks: the same change is stored once.
  dedupe_key text NOT NULL,
  event text NOT NULL,
  object_type text,
  object_id text,
  occurred_at timestamptz NOT NULL,
  record jsonb,
  -- Push to the trigger's webhook target, or wait in its pull queue.
  delivery text NOT NULL CHECK (delivery IN ('webhook', 'queue')),
  state text NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'dead', 'acked')),
  attempts integer NOT NULL DEFAULT 0,
  -- pending: when the next attempt is due; delivering: when the lease of the attempt ends (then
  -- another worker may take it over, which is how a killed worker loses nothing).
  next_attempt_at timestamptz NOT NULL,
  -- Retries stop 24 hours after this (a replay restarts the window).
  window_started_at timestamptz NOT NULL,
  -- When a delivery job was last queued for it, so the sweeper does not queue it twice.
  enqueued_at timestamptz,
  last_attempt_at timestamptz,
  last_status integer,
  last_error text,
  finished_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (trigger_id, dedupe_key)
);
CREATE INDEX trigger_events_due ON trigger_events (next_attempt_at) WHERE state IN ('pending', 'delivering') AND delivery = 'webhook';
CREATE INDEX trigger_events_trigger_time ON trigger_events (trigger_id, created_at DESC, id DESC);
CREATE INDEX trigger_events_finished ON trigger_events (finished_at) WHERE finished_at IS NOT NULL;

-- Things that happened to triggers, for notifications (trigger.disabled, subscription.removed ...),
-- like connection_events. Kept after the trigger is deleted.
CREATE TABLE trigger_notices (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  trigger_id uuid NOT NULL,
  folder_id uuid NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trigger_notices_trigger_time ON trigger_notices (trigger_id, created_at DESC);
CREATE INDEX trigger_notices_tenant_time ON trigger_notices (tenant_id, created_at DESC);
