/**
 * One vendor interaction, as the usage ledger and the request log see it. The vendor
 * client reports every call here; the recorder batches writes off the request path.
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
  /** Path and query with secrets (query credentials, tokens) redacted. */
  redactedUrl: string;
  status: number | null;
  /** A stable error code when the call failed (VENDOR_RATE_LIMITED, TIMEOUT ...). */
  errorCode: string | null;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
  attempts: number;
  /** Billable as UiPath counts it: a successful vendor interaction. */
  billable: boolean;
}

export interface ActivityRecorder {
  record(entry: VendorCallRecord): void;
}

/** For places that do not record (tests of a single component). */
export const NO_RECORDING: ActivityRecorder = { record() {} };
