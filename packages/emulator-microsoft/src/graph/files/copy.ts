/**
 * copy: 202 Accepted with a Location monitor URL (reference doc / driveitem-copy). The copy is
 * made at once, so the monitor already reports it completed with the new item's id. The target
 * may be another drive of the tenant (`parentReference.driveId`); a name in use fails with 409
 * unless `@microsoft.graph.conflictBehavior` says replace or rename.
 */
import { randomUUID } from 'node:crypto';
import { cloneWorkbook } from '../../data/files/drive.ts';
import type { Json } from '../../input.ts';
import { optionalString } from '../../input.ts';
import { allowed, filesAccessDenied, RULES } from '../access.ts';
import type { GraphHandler } from '../call.ts';
import type { Route } from '../router/match.ts';
import { conflictBehavior } from './conflict.ts';
import { openDrive, resolveItem } from './drive-access.ts';
import { FileErrors } from './errors.ts';
import { driveErrors } from './items.ts';
import { transferOrigin } from './transfer-links.ts';

const copy: GraphHandler = (call) => {
  const ctx = openDrive(call, RULES.filesWrite);
  const item = resolveItem(ctx, call.match.item!);
  if (item.parentId === null) throw FileErrors.invalidRequest('The root folder cannot be copied.');
  const o = call.json();
  const ref = (typeof o.parentReference === 'object' && o.parentReference !== null ? o.parentReference : {}) as Json;
  let target = ctx.drive;
  if (typeof ref.driveId === 'string' && ref.driveId !== ctx.drive.id) {
    const other = call.store.drive(ref.driveId);
    if (!other || other.record.tenantId !== call.principal.tenantId) throw FileErrors.itemNotFound();
    const self = other.record.owner.kind === 'user' && other.record.owner.userId === call.principal.userId;
    if (!allowed(call.principal, RULES.filesWrite, self)) throw filesAccessDenied();
    target = other;
  }
  const parent = typeof ref.id === 'string' ? target.item(ref.id) : target.item(item.parentId) ?? target.root();
  if (!parent || parent.kind !== 'folder') throw FileErrors.itemNotFound();
  const name = optionalString(o, 'name', 'body') ?? item.name;
  const source = ctx.drive;
  const made = driveErrors(() => {
    if (target === source) return target.copy(item, parent, name, ctx.by, conflictBehavior(call, o, 'fail'));
    // Across drives: copy the bytes (and workbook) into the other drive's tree.
    if (item.kind === 'folder') throw FileErrors.notSupported('Copying folders between drives is not supported by the emulator.');
    const created = target.putFile(parent, name, Buffer.from(item.content ?? Buffer.alloc(0)), ctx.by, conflictBehavior(call, o, 'fail'), item.mimeType);
    if (item.workbook) created.item.workbook = cloneWorkbook(item.workbook);
    return created.item;
  });
  const job = { id: randomUUID(), tenantId: call.principal.tenantId, driveId: target.id, itemId: made.id, createdAt: call.now() };
  call.store.copyJobs.set(job.id, job);
  return { status: 202, headers: { location: `${transferOrigin(call, target)}/_api/v2.0/monitor/${job.id}` } };
};

export const COPY_ROUTES: Route<GraphHandler>[] = [{ pattern: '{drive}/{item}/copy', methods: { POST: copy } }];
