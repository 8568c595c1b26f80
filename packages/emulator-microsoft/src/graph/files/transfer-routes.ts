/**
 * The pre-authenticated URLs SharePoint hands out, served on the same listener:
 *   - `/_api/v2.0/uploadSession?guid=...`: PUT fragments (Content-Range; 202 with
 *     nextExpectedRanges, then 201/200 with the item), GET status, DELETE to cancel, POST to
 *     commit a deferCommit session. An Authorization header is refused with 401, as the
 *     documentation warns it may be.
 *   - `/_layouts/15/download.aspx?UniqueId=...&tempauth=...`: the file bytes (Range supported).
 *   - `/_api/v2.0/monitor/{id}`: the status of a copy.
 * None of them takes a bearer token: the URL itself is the credential.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rawBody } from '../../body.ts';
import { requestOrigin, type ListenerContext } from '../../context.ts';
import { DriveError } from '../../data/files/drive.ts';
import { renderPdf } from '../../data/files/pdf.ts';
import { acceptFragment, nextExpectedRanges, parseContentRange, type UploadSession } from '../../data/files/upload-sessions.ts';
import { ODATA_JSON } from '../errors.ts';
import { isoMillis } from '../format.ts';
import { FileErrors } from './errors.ts';
import { itemJson, type ItemScope } from './serialize.ts';

const query = (req: FastifyRequest) => req.query as Record<string, string | undefined>;

function session(l: ListenerContext, req: FastifyRequest): UploadSession {
  if (req.headers.authorization) {
    throw FileErrors.unauthenticated('The upload URL is pre-authenticated: send the fragments without an Authorization header.');
  }
  const s = l.emu.state.data.uploads.get(query(req).guid ?? '', l.emu.state.now());
  if (!s) throw FileErrors.itemNotFound();
  return s;
}

function status(s: UploadSession) {
  return { expirationDateTime: isoMillis(s.expiresAt), nextExpectedRanges: nextExpectedRanges(s) };
}

/** Writes the completed file and answers with it, like the last fragment's response. */
function commit(l: ListenerContext, req: FastifyRequest, reply: FastifyReply, s: UploadSession, bytes: Buffer): FastifyReply {
  const store = l.emu.state.data;
  const drive = store.drives.get(s.driveId);
  const parent = drive?.item(s.parentId);
  if (!drive || !parent) throw FileErrors.itemNotFound();
  let result;
  try {
    result = drive.putFile(parent, s.name, bytes, s.by, s.conflict);
  } catch (err) {
    if (err instanceof DriveError && err.code === 'nameAlreadyExists') {
      throw FileErrors.nameAlreadyExists(
        'Another file exists with the same name as the uploaded session. You can redirect the upload session to use a new filename by calling PUT with the new metadata and @microsoft.graph.sourceUrl attribute.',
      );
    }
    throw err;
  }
  store.uploads.remove(s.id);
  const scope: ItemScope = { store, origin: requestOrigin(l, req), now: () => l.emu.state.now(), l };
  return reply.code(result.created ? 201 : 200).type(ODATA_JSON).send(itemJson(scope, drive, result.item));
}

export function registerTransferRoutes(app: FastifyInstance, l: ListenerContext): void {
  app.put('/_api/v2.0/uploadSession', async (req, reply) => {
    const s = session(l, req);
    const range = parseContentRange(req.headers['content-range']);
    if (!range) throw FileErrors.invalidRequest("The Content-Range header is missing or malformed; expected 'bytes {start}-{end}/{total}'.");
    const result = acceptFragment(s, range, rawBody(req));
    switch (result.kind) {
      case 'invalid':
        throw FileErrors.invalidRequest(result.message);
      case 'rangeNotSatisfiable':
        throw FileErrors.invalidRange(result.message);
      case 'partial':
        return reply.code(202).type(ODATA_JSON).send(status(s));
      case 'complete':
        if (s.deferCommit) {
          s.completed = result.bytes;
          return reply.code(202).type(ODATA_JSON).send({ expirationDateTime: isoMillis(s.expiresAt), nextExpectedRanges: [] });
        }
        return commit(l, req, reply, s, result.bytes);
    }
  });

  // deferCommit: an empty POST to the upload URL completes the file.
  app.post('/_api/v2.0/uploadSession', async (req, reply) => {
    const s = session(l, req);
    if (!s.completed) throw FileErrors.invalidRequest('The upload is not complete: ' + JSON.stringify(status(s).nextExpectedRanges));
    return commit(l, req, reply, s, s.completed);
  });

  app.get('/_api/v2.0/uploadSession', async (req, reply) => reply.type(ODATA_JSON).send(status(session(l, req))));

  app.delete('/_api/v2.0/uploadSession', async (req, reply) => {
    const s = session(l, req);
    l.emu.state.data.uploads.remove(s.id);
    return reply.code(204).send();
  });

  app.get('/_layouts/15/download.aspx', async (req, reply) => {
    const store = l.emu.state.data;
    const claims = store.tempAuth.verify(query(req).tempauth ?? '', l.emu.state.now());
    if (!claims || claims.k !== 'dl') throw FileErrors.unauthenticated('The download URL is invalid or has expired.');
    const item = store.drives.get(String(claims.d))?.item(String(claims.i));
    if (!item || item.kind !== 'file') throw FileErrors.itemNotFound();
    const pdf = claims.f === 'pdf';
    const bytes = pdf ? renderPdf(item) : (item.content ?? Buffer.alloc(0));
    const type = pdf ? 'application/pdf' : (item.mimeType ?? 'application/octet-stream');
    const name = pdf ? item.name.replace(/\.[^.]*$/, '') + '.pdf' : item.name;
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`).header('accept-ranges', 'bytes');
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (range && (range[1] || range[2])) {
      const start = range[1] ? Number(range[1]) : Math.max(0, bytes.length - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
      if (start >= bytes.length || start > end) return reply.code(416).header('content-range', `bytes */${bytes.length}`).send();
      return reply.code(206).header('content-range', `bytes ${start}-${end}/${bytes.length}`).type(type).send(bytes.subarray(start, end + 1));
    }
    return reply.type(type).send(bytes);
  });

  app.get('/_api/v2.0/monitor/:id', async (req, reply) => {
    const job = l.emu.state.data.copyJobs.get((req.params as { id: string }).id);
    if (!job) throw FileErrors.itemNotFound();
    // As documented for a finished copy: still 202, status completed, resourceId of the copy.
    return reply.code(202).type(ODATA_JSON).send({ operation: 'ItemCopy', percentageComplete: 100, resourceId: job.itemId, status: 'completed' });
  });
}
