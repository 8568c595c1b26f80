/**
 * Worksheets: list, get (by name or id, `worksheets('Sheet1')` or `worksheets/Sheet1`), add
 * (`POST /worksheets` → 201, `POST /worksheets/add` → 200), rename / move / hide, delete.
 */
import { WorkbookError } from '../../data/files/workbook.ts';
import { optionalNumber, optionalString } from '../../input.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { collectionResponse } from '../odata/collection.ts';
import { T, type EntitySchema } from '../odata/schema.ts';
import type { Route } from '../router/match.ts';
import { WorkbookErrors } from './errors.ts';
import { worksheetJson } from './serialize.ts';
import { getWorksheet, openWorkbook, workbookChanged } from './workbook-access.ts';

export const WORKSHEET_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.workbookWorksheet',
  props: { '@odata.id': T.string, id: T.string, name: T.string, position: T.number, visibility: T.string },
};

/** Data-layer refusals in the Excel service's words. */
export function workbookErrors<R>(fn: () => R): R {
  try {
    return fn();
  } catch (err) {
    if (err instanceof WorkbookError) {
      if (err.kind === 'conflict') throw WorkbookErrors.alreadyExists();
      if (err.kind === 'notFound') throw WorkbookErrors.notFound();
      throw WorkbookErrors.invalidArgument(err.message);
    }
    throw err;
  }
}

const list: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  return collectionResponse(call, ctx.workbook.worksheets.map((ws) => worksheetJson(ctx, ws)), {
    schema: WORKSHEET_SCHEMA,
    context: `${call.metadata}#workbookWorksheets`,
    defaultPageSize: 200,
    maxTop: 1000,
    paging: 'skiptoken',
  });
};

function add(call: GraphCall, status: number): GraphResult {
  const ctx = openWorkbook(call);
  const name = optionalString(call.json(), 'name', 'body');
  const ws = workbookErrors(() => ctx.workbook.addWorksheet(name || undefined));
  workbookChanged(ctx, { type: 'created', resource: 'worksheet', id: ws.id });
  return { status, body: { '@odata.context': `${call.metadata}#workbookWorksheet`, ...worksheetJson(ctx, ws) } };
}

const get: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  return { status: 200, body: { '@odata.context': `${call.metadata}#workbookWorksheet`, ...worksheetJson(ctx, getWorksheet(ctx, call.param('worksheet'))) } };
};

const update: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  const ws = getWorksheet(ctx, call.param('worksheet'));
  const o = call.json();
  const name = optionalString(o, 'name', 'body');
  if (name !== undefined && name.toLowerCase() !== ws.name.toLowerCase()) {
    if (ctx.workbook.worksheet(name)) throw WorkbookErrors.alreadyExists();
    ws.name = name;
  }
  const position = optionalNumber(o, 'position', 'body');
  if (position !== undefined) {
    const sheets = ctx.workbook.worksheets;
    sheets.splice(sheets.indexOf(ws), 1);
    sheets.splice(Math.min(position, sheets.length), 0, ws);
    sheets.forEach((w, i) => (w.position = i));
  }
  const visibility = optionalString(o, 'visibility', 'body');
  if (visibility !== undefined) {
    if (!['Visible', 'Hidden', 'VeryHidden'].includes(visibility)) throw WorkbookErrors.invalidArgument();
    ws.visibility = visibility as typeof ws.visibility;
  }
  workbookChanged(ctx, { type: 'updated', resource: 'worksheet', id: ws.id });
  return { status: 200, body: { '@odata.context': `${call.metadata}#workbookWorksheet`, ...worksheetJson(ctx, ws) } };
};

const remove: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  const ws = getWorksheet(ctx, call.param('worksheet'));
  if (ctx.workbook.worksheets.length === 1) throw WorkbookErrors.invalidArgument('A workbook must contain at least one visible worksheet.');
  ctx.workbook.deleteWorksheet(ws);
  workbookChanged(ctx, { type: 'deleted', resource: 'worksheet', id: ws.id });
  return { status: 204 };
};

export const WORKSHEET_ROUTES: Route<GraphHandler>[] = [
  { pattern: '{drive}/{item}/workbook/worksheets', methods: { GET: list, POST: (c) => add(c, 201) } },
  { pattern: '{drive}/{item}/workbook/worksheets/add', methods: { POST: (c) => add(c, 200) } },
  { pattern: '{drive}/{item}/workbook/worksheets/:worksheet', methods: { GET: get, PATCH: update, DELETE: remove } },
];
