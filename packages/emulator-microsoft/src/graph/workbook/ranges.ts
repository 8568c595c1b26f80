/**
 * Ranges: `worksheets('Sheet1')/range(address='A1:C3')` GET and PATCH, `usedRange`, and
 * `cell(row=,column=)`. PATCH writes `values` (or `formulas`); the array must have exactly the
 * range's rows and columns (else 400 InvalidArgument), and `null` leaves a cell unchanged.
 * Whole-column and whole-row addresses are clipped to the used range when read.
 */
import { AddressError, parseAddress, type Rect } from '../../data/files/a1.ts';
import type { Worksheet } from '../../data/files/workbook.ts';
import type { GraphCall, GraphHandler } from '../call.ts';
import type { Route } from '../router/match.ts';
import { WorkbookErrors } from './errors.ts';
import { rangeResponse } from './serialize.ts';
import { getWorksheet, openWorkbook, workbookChanged, type WorkbookContext } from './workbook-access.ts';

function rangeRect(call: GraphCall, ctx: WorkbookContext, ws: Worksheet): Rect {
  const address = call.match.args.range?.address;
  if (address === undefined) return ctx.workbook.usedRect(ws);
  let parsed;
  try {
    parsed = parseAddress(address);
  } catch (err) {
    if (err instanceof AddressError) throw WorkbookErrors.invalidArgument();
    throw err;
  }
  if (parsed.sheet !== undefined && parsed.sheet.toLowerCase() !== ws.name.toLowerCase()) throw WorkbookErrors.invalidArgument();
  if (!parsed.wholeColumns && !parsed.wholeRows) return parsed;
  const used = ctx.workbook.usedRect(ws);
  return { r0: parsed.r0, c0: parsed.c0, r1: Math.max(parsed.r0, Math.min(parsed.r1, used.r1)), c1: Math.max(parsed.c0, Math.min(parsed.c1, used.c1)) };
}

function matrix(value: unknown, rect: Rect): unknown[][] {
  const rows = rect.r1 - rect.r0 + 1;
  const cols = rect.c1 - rect.c0 + 1;
  if (!Array.isArray(value) || value.length !== rows || value.some((row) => !Array.isArray(row) || row.length !== cols)) throw WorkbookErrors.shapeMismatch();
  return value as unknown[][];
}

const getRange: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  const ws = getWorksheet(ctx, call.param('worksheet'));
  return rangeResponse(call, ctx, ws, rangeRect(call, ctx, ws));
};

const patchRange: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  const ws = getWorksheet(ctx, call.param('worksheet'));
  const rect = rangeRect(call, ctx, ws);
  const o = call.json();
  if (o.values !== undefined) ctx.workbook.write(ws, rect, matrix(o.values, rect), 'values');
  if (o.formulas !== undefined) ctx.workbook.write(ws, rect, matrix(o.formulas, rect), 'formulas');
  workbookChanged(ctx, { type: 'updated', resource: 'worksheet', id: ws.id });
  return rangeResponse(call, ctx, ws, rect);
};

const usedRange: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  const ws = getWorksheet(ctx, call.param('worksheet'));
  const valuesOnly = (call.match.args.usedrange?.valuesOnly ?? '').toLowerCase() === 'true';
  return rangeResponse(call, ctx, ws, ctx.workbook.usedRect(ws, valuesOnly));
};

const cell: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  const ws = getWorksheet(ctx, call.param('worksheet'));
  const args = call.match.args.cell ?? {};
  const row = Number(args.row);
  const column = Number(args.column);
  if (!Number.isInteger(row) || !Number.isInteger(column) || row < 0 || column < 0) throw WorkbookErrors.invalidArgument();
  return rangeResponse(call, ctx, ws, { r0: row, c0: column, r1: row, c1: column });
};

export const RANGE_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{drive}/{item}/workbook/worksheets/:worksheet/range', methods: { GET: getRange, PATCH: patchRange } },
  { pattern: '{drive}/{item}/workbook/worksheets/:worksheet/usedRange', methods: { GET: usedRange } },
  { pattern: '{drive}/{item}/workbook/worksheets/:worksheet/cell', methods: { GET: cell } },
];
