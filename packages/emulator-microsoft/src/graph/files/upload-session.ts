/**
 * createUploadSession (reference doc, "Large upload"): 200 with an `uploadUrl` on this listener
 * that needs no token (and refuses one), valid for the session's lifetime. Addressing an
 * existing file updates it; a new path creates the file when the last fragment arrives.
 */
import { SESSION_LIFETIME_MS } from '../../data/files/upload-sessions.ts';
import { isoMillis } from '../format.ts';
import type { Json } from '../../input.ts';
import { RULES } from '../access.ts';
import type { GraphHandler } from '../call.ts';
import type { Route } from '../router/match.ts';
import { conflictBehavior } from './conflict.ts';
import { checkIfMatch, openDrive, resolveForWrite } from './drive-access.ts';
import { FileErrors } from './errors.ts';
import { transferOrigin } from './transfer-links.ts';

const create: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesWrite);
  const target = resolveForWrite(ctx, call.match.item!);
  if (target.existing?.kind === 'folder') throw FileErrors.invalidRequest('An upload session cannot target a folder.');
  if (target.existing) checkIfMatch(call, target.existing);
  const o = call.json();
  const item = (typeof o.item === 'object' && o.item !== null ? o.item : {}) as Json;
  if (typeof item.name === 'string' && item.name.toLowerCase() !== target.name.toLowerCase() && !target.existing) {
    throw FileErrors.invalidRequest('The item name in the body must match the name in the path.');
  }
  const fileSize = typeof item.fileSize === 'number' ? item.fileSize : undefined;
  const now = call.now();
  const session = call.store.uploads.create({
    tenantId: call.principal.tenantId,
    driveId: ctx.drive.id,
    parentId: target.parent.id,
    name: target.name,
    conflict: conflictBehavior(call, item, target.existing ? 'replace' : 'fail'),
    deferCommit: o.deferCommit === true,
    expiresAt: now + SESSION_LIFETIME_MS,
    by: ctx.by,
    ...(fileSize !== undefined ? { total: fileSize } : {}),
  });
  return {
    status: 200,
    body: {
      '@odata.context': `${call.metadata}#microsoft.graph.uploadSession`,
      uploadUrl: `${transferOrigin(call, ctx.drive)}/_api/v2.0/uploadSession?guid=${session.id}`,
      expirationDateTime: isoMillis(session.expiresAt),
      nextExpectedRanges: ['0-'],
    },
  };
};

export const UPLOAD_SESSION_ROUTES: Route<GraphHandler>[] = [{ pattern: '{drive}/{item}/createUploadSession', methods: { POST: create } }];
