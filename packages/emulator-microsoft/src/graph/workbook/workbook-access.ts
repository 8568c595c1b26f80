/**
 * Opening the workbook behind a drive item for a request, and finding worksheets and tables in
 * it. Every change is written back to the item (new cTag, new bytes) and to the change log, so
 * Excel triggers (worksheet created, cells updated, rows added) can be built on it later.
 */
import type { StoredDriveItem } from '../../data/files/model.ts';
import type { Workbook, WorkbookTable, Worksheet } from '../../data/files/workbook.ts';
import { recordChange } from '../../data/owner.ts';
import type { ChangeResource, ChangeType } from '../../data/change-log.ts';
import { RULES } from '../access.ts';
import type { GraphCall } from '../call.ts';
import { openDrive, resolveItem, type DriveContext } from '../files/drive-access.ts';
import { WorkbookErrors } from './errors.ts';

export interface WorkbookContext extends DriveContext {
  item: StoredDriveItem;
  workbook: Workbook;
}

export function openWorkbook(call: GraphCall): WorkbookContext {
  const ctx = openDrive(call, RULES.workbook);
  const item = resolveItem(ctx, call.match.item!);
  if (item.kind !== 'file' || !item.workbook) throw WorkbookErrors.notAWorkbook();
  return { ...ctx, item, workbook: item.workbook };
}

export function getWorksheet(ctx: WorkbookContext, ref: string): Worksheet {
  const ws = ctx.workbook.worksheet(ref);
  if (!ws) throw WorkbookErrors.notFound();
  return ws;
}

export function getTable(ctx: WorkbookContext, ref: string): WorkbookTable {
  const t = ctx.workbook.table(ref);
  if (!t) throw WorkbookErrors.notFound();
  return t;
}

/** Persists a change: file bytes and versions, plus a change-log entry for the part that changed. */
export function workbookChanged(ctx: WorkbookContext, change?: { type: ChangeType; resource: ChangeResource; id: string }): void {
  ctx.drive.workbookChanged(ctx.item, ctx.by);
  if (change) recordChange(ctx.drive.owner, change.type, change.resource, change.id, { container: ctx.item.id, scope: ctx.drive.id });
}

/** The `@odata.id` path Graph gives workbook objects. */
export function workbookPath(ctx: WorkbookContext): string {
  return `/drives('${ctx.drive.id}')/items('${ctx.item.id}')/workbook`;
}
