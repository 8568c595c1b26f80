import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { isJsonType } from './headers.ts';

export interface BodyLimits {
  /** Largest JSON body read into memory (SWITCHBOARD_MAX_JSON_BYTES). */
  maxJsonBytes: number;
  /** Largest other body read into memory (SWITCHBOARD_MAX_RESPONSE_BYTES); streamed bodies have no limit. */
  maxBodyBytes: number;
}

/** The body is larger than the limit; reading stopped as soon as that was known. */
export class BodyTooLarge extends Error {
  override name = 'BodyTooLarge';
  constructor(
    readonly limit: number,
    readonly json: boolean,
    readonly declared: number | undefined,
  ) {
    super(`The vendor's ${json ? 'JSON ' : ''}response is larger than ${limit} bytes`);
  }
}

type RawHeaders = Record<string, string | string[] | undefined>;

const header = (h: RawHeaders, name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

/** A decoder for the vendor's Content-Encoding; undefined when the body is sent as it is. */
function decoderFor(encoding: string | undefined) {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/** Stops reading a body: its socket is closed, and the error that destroying emits is expected. */
function abandon(stream: Readable | NodeJS.ReadWriteStream): void {
  stream.on('error', () => {});
  (stream as Readable).destroy();
}

/** Encodings this client can decode, offered to vendors on buffered calls. */
export const ACCEPTED_ENCODINGS = 'gzip, deflate, br';

/**
 * Reads a response body into memory, decoding gzip/deflate/br, and stops the moment it grows
 * past the limit (checked on the decoded size, so a small compressed bomb is caught as early as
 * a large plain body). A declared Content-Length over the limit fails before reading at all.
 */
export async function readBody(body: Readable, headers: RawHeaders, limits: BodyLimits): Promise<{ data: Buffer; decoded: boolean }> {
  const json = isJsonType(header(headers, 'content-type'));
  const limit = json ? limits.maxJsonBytes : limits.maxBodyBytes;
  const decoder = decoderFor(header(headers, 'content-encoding'));
  const declared = Number(header(headers, 'content-length'));
  if (!decoder && Number.isFinite(declared) && declared > limit) {
    abandon(body);
    throw new BodyTooLarge(limit, json, declared);
  }
  const source: Readable = decoder ? body.pipe(decoder) : body;
  if (decoder) body.on('error', (error) => decoder.destroy(error));
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new BodyTooLarge(limit, json, Number.isFinite(declared) ? declared : undefined);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    abandon(body);
    if (decoder) abandon(decoder);
    throw error;
  }
  return { data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), decoded: decoder !== undefined };
}
