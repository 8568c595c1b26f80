/**
 * One vendor interaction, as the usage ledger and the request log see it. The vendor
 * client reports every call here; the recorder batches writes off the request path.
 *
 * What is billable (UiPath's "Integration Activity", reference §7):
 * - an activity or an HTTP Request that got a successful answer from the vendor counts one;
 * - a trigger counts one per automation it successfully starts. The trigger engine records
 *   a poll with `billable: false` when it found nothing (or started nothing), and with
 *   `billable: true, units: n` when it started n automations; a webhook delivery that starts
 *   one automation is `billable: true` (units 1);
 * - identity calls (Check connection) and failed calls never count. The recorder enforces
 *   that: `billable` is the caller's claim, and a call with an `errorCode` or a status of 400
 *   or more is recorded as not billable whatever the claim.
 */
export interface VendorCallRecord {
  at: Date;
  requestId: string;
  tenantId: string;
  folderId: string;
  connectionId: string;
  connector: string;
  kind: 'activity' | 'http-request' | 'trigger' | 'identity';
  operation: string;
  method: string;
  /** Path and query with secrets (query credentials, tokens) redacted. The recorder redacts again. */
  redactedUrl: string;
  /** The vendor's status; null when there was no response (network error, timeout) or no HTTP call (a trigger start). */
  status: number | null;
  /** A stable error code when the call failed (VENDOR_RATE_LIMITED, TIMEOUT ...). */
  errorCode: string | null;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
  attempts: number;
  /** Billable as UiPath counts it: a successful vendor interaction (see above). */
  billable: boolean;
  /** How many activities a billable record stands for (default 1): a poll that started three automations reports 3. */
  units?: number | undefined;
  /**
   * Bodies as sent and received (text; binary bodies as a short placeholder). Pass them only
   * when `wantsBodies(connectionId)` answered true just before the call: capturing them costs
   * memory, and the recorder drops them anyway unless debug is on for the connection. The
   * recorder redacts secrets and caps their size before storing.
   */
  requestBody?: string | undefined;
  responseBody?: string | undefined;
}

export interface ActivityRecorder {
  /** Never throws and never waits: the entry is buffered and written in the background. */
  record(entry: VendorCallRecord): void;
  /**
   * Called by the vendor client before it sends a call on behalf of a tenant. Rejects with a
   * Problem (QUOTA_EXCEEDED, 429) when the tenant used up its monthly activity quota; the
   * client then sends nothing and records nothing. Cheap: a cached counter per tenant.
   * Optional so recorders that do not meter (tests, NO_RECORDING) need not implement it.
   */
  beforeCall?(call: { tenantId: string; kind: VendorCallRecord['kind'] }): Promise<void>;
  /**
   * True while debug is on for the connection: the caller should then capture the bodies
   * of the call into `requestBody`/`responseBody`. Synchronous and cheap (an in-memory set).
   */
  wantsBodies?(connectionId: string): boolean;
}

/** For places that do not record (tests of a single component). */
export const NO_RECORDING: ActivityRecorder = { record() {} };
