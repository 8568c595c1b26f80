import { Problem } from '../../problems/problem.ts';
import type { RegisteredStep } from './index.ts';

/**
 * Largest file sent in one PUT. Graph documents simple upload for small files (4 MB in the
 * long-standing docs, 250 MB in newer ones); above this an upload session is used, which also
 * survives a dropped connection part-way.
 */
export const SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
/** Session chunks must be multiples of 320 KiB and under 60 MiB: 10 x 320 KiB. */
export const CHUNK_BYTES = 10 * 320 * 1024;

/** Decoded size of base64 text without decoding it. */
export function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/**
 * Upload File: the declarative PUT .../content for small files; for larger ones an upload
 * session: POST .../createUploadSession, then PUT the bytes in sequential chunks with
 * Content-Range to the session URL, following nextExpectedRanges; the last chunk answers with
 * the file. The session URL is pre-authorised: it gets no credentials unless it is on the
 * Graph origin itself. A failed session is cancelled (DELETE) so no fragment is left behind.
 */
export const graphUploadFile: RegisteredStep = {
  run: async (ctx) => {
    const base64 = ctx.input.contentBase64 as string;
    if (decodedLength(base64) <= SIMPLE_UPLOAD_LIMIT) return ctx.run({ pagination: null });

    const bytes = Buffer.from(base64, 'base64');
    const { request } = ctx.activity;
    const session = await ctx.call({
      method: 'POST',
      path: request.path.replace(/\/content$/, '/createUploadSession'),
      body: { type: 'json', expr: '{item: {"@microsoft.graph.conflictBehavior": conflictBehavior}}' },
    });
    const uploadUrl = (session.json as { uploadUrl?: unknown } | undefined)?.uploadUrl;
    if (typeof uploadUrl !== 'string' || !uploadUrl) throw new Problem('ACTIVITY_UNEXPECTED_RESPONSE', 'Microsoft Graph created no upload URL for the upload session.');

    let start = 0;
    let chunks = 0;
    try {
      for (;;) {
        const end = Math.min(start + CHUNK_BYTES, bytes.length);
        const res = await ctx.callUrl(
          { method: 'PUT', url: uploadUrl, headers: { 'content-range': `bytes ${start}-${end - 1}/${bytes.length}`, 'content-type': 'application/octet-stream' }, body: bytes.subarray(start, end), idempotent: true },
          { accept: [202] },
        );
        chunks++;
        if (res.status !== 202) return res.json ?? null;
        // The server says where to go on; normally right after this chunk.
        const next = nextExpected(res.json) ?? end;
        if (next >= bytes.length || next < 0) throw new Problem('ACTIVITY_UNEXPECTED_RESPONSE', `The upload session expects bytes from ${next} of ${bytes.length}; nothing is left to send.`);
        start = next;
      }
    } catch (error) {
      await ctx.callUrl({ method: 'DELETE', url: uploadUrl }, { accept: [404, 410] }).catch(() => {});
      const cause = error instanceof Problem ? error.toJSON() : { detail: (error as Error).message };
      throw new Problem('ACTIVITY_INCOMPLETE', `The upload session failed after ${chunks} of ${Math.ceil(bytes.length / CHUNK_BYTES)} chunks and was cancelled: ${cause.detail}`, {
        extensions: { completedSteps: 1 + chunks, uploadedBytes: start, totalBytes: bytes.length, cause },
      });
    }
  },
};

/** The first offset of nextExpectedRanges ["26-"] or ["26-99"]. */
function nextExpected(json: unknown): number | undefined {
  const ranges = (json as { nextExpectedRanges?: unknown } | undefined)?.nextExpectedRanges;
  const first = Array.isArray(ranges) ? ranges[0] : undefined;
  const m = typeof first === 'string' ? /^(\d+)-/.exec(first) : null;
  return m ? Number(m[1]) : undefined;
}
