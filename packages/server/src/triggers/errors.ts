import { registerErrorCodes } from '../problems/catalog.ts';

// Codes of the trigger engine: its API, the public webhook ingress, and vendor subscriptions.
registerErrorCodes({
  TRIGGER_NOT_FOUND: {
    status: 404,
    title: 'Trigger not found',
    meaning: 'No trigger with this id exists in a folder you can see.',
    fix: 'Check the id, and that you have Triggers.View in the folder of its connection.',
  },
  TRIGGER_EVENT_NOT_FOUND: {
    status: 404,
    title: 'Trigger event not found',
    meaning: 'The trigger has no event with this id (events are kept for a limited time).',
    fix: 'List the events with GET /api/v1/triggers/{id}/events.',
  },
  TRIGGER_EVENT_UNKNOWN: {
    status: 400,
    title: 'The connector offers no such event',
    meaning: "The `trigger` is not a trigger of the connection's connector, or the `object` and `event` pair cannot be detected for that object (e.g. deletions of an object the vendor does not report). `errors` names the field.",
    fix: 'Pick a trigger from GET /api/v1/connectors/{key}, or an object whose changes the connector can see.',
  },
  TRIGGER_FILTER_INVALID: {
    status: 400,
    title: 'The filter is not valid',
    meaning: 'The JMESPath expression does not parse (`position` is the offset of the first character that could not be read), or a condition of the structured filter is malformed.',
    fix: 'Correct the expression at `position`, or the condition named in `errors`.',
  },
  TRIGGER_TARGET_INVALID: {
    status: 400,
    title: 'The delivery target is not allowed',
    meaning: 'Webhook targets must be absolute http or https URLs without credentials, and may not point at loopback, private or link-local addresses unless the server allows it (SWITCHBOARD_ALLOW_PRIVATE_TARGETS).',
    fix: 'Use a public https URL, or a pull queue (`{"type":"queue"}`).',
  },
  TRIGGER_INPUT_INVALID: {
    status: 400,
    title: 'The trigger parameters are not valid',
    meaning: "The `input` does not match the trigger's parameter schema. `errors` lists each path and rule.",
    fix: 'Correct the input as `errors` says; the schema is the trigger\'s `input` in GET /api/v1/connectors/{key}.',
  },
  TRIGGER_NOT_APPLICABLE: {
    status: 409,
    title: 'Not possible for this trigger',
    meaning: 'The action needs another kind of trigger: acknowledging events needs a pull queue, sampling a vendor needs a polling trigger or a sample payload.',
    fix: 'See `detail` for what the action needs.',
  },
  TRIGGER_SUBSCRIPTION_FAILED: {
    status: 502,
    title: 'The vendor refused the webhook subscription',
    meaning: 'Registering, renewing or removing the webhook subscription at the vendor failed. `vendorStatus` and `vendorMessage` carry what the vendor said.',
    fix: 'Check that the connection may subscribe to this resource and that PUBLIC_URL is reachable from the vendor over https, then try again.',
  },
  TRIGGER_POLL_FAILED: {
    status: 502,
    title: 'Polling the vendor failed',
    meaning: 'The vendor answered the poll with an error or an answer the trigger definition cannot read. `vendorStatus` carries its status.',
    fix: 'Check the connection (POST /api/v1/connections/{id}/check) and the trigger parameters.',
  },
  WEBHOOK_NOT_FOUND: {
    status: 404,
    title: 'No such webhook',
    meaning: 'No trigger listens at this webhook URL (it was deleted, or the URL is mistyped).',
    fix: 'Copy the current URL from the trigger (`webhookUrl`).',
  },
  WEBHOOK_SIGNATURE_INVALID: {
    status: 401,
    title: 'The webhook signature is missing or wrong',
    meaning: 'The connector requires signed deliveries and this one had no signature, a signature that does not match its body, or the wrong client state. Nothing was stored.',
    fix: 'Configure the sender with the same signing secret as the connection, and send the body exactly as signed.',
  },
  WEBHOOK_TIMESTAMP_INVALID: {
    status: 400,
    title: 'The webhook timestamp is missing or too old',
    meaning: 'The signed timestamp is absent, unreadable, or further from now than the connector tolerates (replay protection). Nothing was stored.',
    fix: "Send deliveries promptly with the current time, and keep the sender's clock in sync.",
  },
  WEBHOOK_RATE_LIMITED: {
    status: 429,
    title: 'Too many webhook events',
    meaning: 'The tenant received more webhook events this minute than allowed (SWITCHBOARD_WEBHOOK_RATE_LIMIT, 500 per minute by default). Nothing was stored.',
    fix: 'Retry after the number of seconds in Retry-After; most senders do so on their own.',
  },
  WEBHOOK_PAYLOAD_INVALID: {
    status: 400,
    title: 'The webhook payload cannot be read',
    meaning: 'The connector expects JSON at this URL and the body is not JSON, or does not hold events where the connector expects them.',
    fix: 'Send the payload the vendor documents, as application/json.',
  },
});
