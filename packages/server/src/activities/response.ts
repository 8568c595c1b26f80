import type { ActivityDefinition } from '@switchboard/catalog';
import type { VendorResponse } from '../outbound/vendor-call.ts';
import { evaluateOrFail } from './expressions.ts';

/** A file returned by an activity, as JSON. */
export interface FileOutput {
  fileName: string | null;
  contentType: string;
  size: number;
  contentBase64: string;
}

/** What a response body means: parsed JSON, else its text, else nothing (202, 204). */
export function bodyOf(response: VendorResponse): unknown {
  if (response.json !== undefined) return response.json;
  if (response.body.length === 0) return null;
  return response.body.toString('utf8');
}

/**
 * The activity's output from its data (the body, or the records of a paged list): the response
 * expression when there is one, evaluated with the input as $input and the last response's
 * status and headers as $response.
 */
export function shapeOutput(activity: Pick<ActivityDefinition, 'key' | 'response'>, data: unknown, input: Record<string, unknown>, response: VendorResponse): unknown {
  const expr = activity.response?.expr;
  if (!expr) return data;
  return evaluateOrFail(expr, data, { input, response: { status: response.status, headers: response.headers } }, `activity ${activity.key} response`);
}

export function fileOutput(response: VendorResponse): FileOutput {
  return {
    fileName: fileNameOf(response.headers['content-disposition']),
    contentType: response.headers['content-type'] ?? 'application/octet-stream',
    size: response.body.length,
    contentBase64: response.body.toString('base64'),
  };
}

/** The file name of a Content-Disposition header (RFC 6266): filename* (RFC 8187) first, then filename. */
export function fileNameOf(header: string | undefined): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[2]!.trim());
    } catch {
      // A malformed encoding: fall back to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  if (!plain) return null;
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]!;
}
