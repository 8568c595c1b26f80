import type { ConnectionRow } from '../connections/repository.ts';
import type { VendorCallRecord } from '../usage/recorder.ts';
import { isJsonType, isTextType } from './headers.ts';
import { redactVendorUrl } from './url-redaction.ts';
import type { VendorCallOptions, VendorRequest } from './vendor-call.ts';

export interface RecordedCall {
  row: ConnectionRow;
  request: VendorRequest;
  options: VendorCallOptions;
  at: Date;
  started: number;
  attempts: number;
  /** Names of the connection's query credentials: removed from the recorded URL. */
  credentialParams: string[];
  /** Set when debug is on for the connection. */
  requestBody?: string | undefined;
  responseBody?: string | undefined;
}

/**
 * The usage ledger and request log entry of one call. Billable when the vendor answered 2xx or
 * 3xx (an HTTP Request or activity that did its work); identity calls never are.
 */
export function callRecord(call: RecordedCall, status: number | null, errorCode: string | null, responseBytes: number, wantsBodies: boolean): VendorCallRecord {
  const { row, request, options } = call;
  return {
    at: call.at,
    requestId: options.requestId,
    tenantId: row.tenant_id,
    folderId: row.folder_id,
    connectionId: row.id,
    connector: row.connector_key,
    kind: options.kind,
    operation: options.operation,
    method: request.method,
    redactedUrl: redactVendorUrl(request.url, call.credentialParams),
    status,
    errorCode,
    durationMs: Math.round(performance.now() - call.started),
    requestBytes: byteLength(request.body),
    responseBytes,
    attempts: call.attempts,
    // Identity checks are housekeeping; trigger polls bill per automation started, which the
    // trigger engine records itself (an empty poll is not billable), so neither counts here.
    billable: status !== null && status < 400 && errorCode === null && options.kind !== 'identity' && options.kind !== 'trigger',
    ...(wantsBodies ? { requestBody: call.requestBody, responseBody: call.responseBody } : {}),
  };
}

function byteLength(body: VendorRequest['body']): number {
  if (body === undefined) return 0;
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

/** A body as text for debug request logs; binary bodies as a placeholder. */
export function bodyText(body: string | Uint8Array | undefined, contentType: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return body;
  if (body.byteLength === 0) return '';
  if (isJsonType(contentType) || isTextType(contentType)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return `[binary ${body.byteLength} bytes]`;
}
