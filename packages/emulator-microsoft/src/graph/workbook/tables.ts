/**
 * Tables, reachable from the workbook or from their worksheet: list, add (`tables/add` with an
 * address and hasHeaders), get, delete (the cells stay, as convertToRange leaves them), rows
 * (list; add with `POST rows` → 201 or `POST rows/add` → 200; each row must have one value per
 * column), columns, and the table's range, header row and data body.
 */
import { AddressError, parseAddress } from '../../data/files/a1.ts';
import type { WorkbookTable } from '../../data/files/workbook.ts';
import { optionalBoolean, optionalNumber, optionalString } from '../../input.ts';
import type { GraphCall, GraphHandler, GraphResult } from '../call.ts';
import { collectionResponse } from '../odata/collection.ts';
import { T, type EntitySchema } from '../odata/schema.ts';
import type { Route } from '../router/match.ts';
import { WorkbookErrors } from './errors.ts';
import { rangeResponse, rowValues, tableJson } from './serialize.ts';
import { getTable, getWorksheet, openWorkbook, workbookChanged, type WorkbookContext } from './workbook-access.ts';
import { workbookErrors } from './worksheets.ts';

const TABLE_SCHEMA: EntitySchema = {
  typeName: 'microsoft.graph.workbookTable',
  props: { '@odata.id': T.string, id: T.string, name: T.string, showHeaders: T.boolean, showTotals: T.boolean, style: T.string, legacyId: T.string },
};
const ROW_SCHEMA: EntitySchema = { typeName: 'microsoft.graph.workbookTableRow', props: { index: T.number, values: T.open } };
const COLUMN_SCHEMA: EntitySchema = { typeName: 'microsoft.graph.workbookTableColumn', props: { id: T.string, index: T.number, name: T.string, values: T.open } };

/** The table, checked to be on the worksheet when the route went through one. */
function table(call: GraphCall, ctx: WorkbookContext): WorkbookTable {
  const t = getTable(ctx, call.param('table'));
  const sheet = call.match.params.worksheet;
  if (sheet !== undefined && ctx.workbook.tableSheet(t).id !== getWorksheet(ctx, sheet).id) throw WorkbookErrors.notFound();
  return t;
}

const list: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  const sheet = call.match.params.worksheet !== undefined ? getWorksheet(ctx, call.match.params.worksheet) : undefined;
  const tables = ctx.workbook.tables.filter((t) => !sheet || t.worksheetId === sheet.id).map((t) => tableJson(ctx, t));
  return collectionResponse(call, tables, { schema: TABLE_SCHEMA, context: `${call.metadata}#workbookTables`, defaultPageSize: 200, maxTop: 1000, paging: 'skiptoken' });
};

const add: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  const o = call.json();
  const address = optionalString(o, 'address', 'body');
  if (!address) throw WorkbookErrors.invalidArgument();
  let parsed;
  try {
    parsed = parseAddress(address);
  } catch (err) {
    if (err instanceof AddressError) throw WorkbookErrors.invalidArgument();
    throw err;
  }
  const sheetRef = parsed.sheet ?? call.match.params.worksheet ?? ctx.workbook.worksheets[0]!.name;
  const ws = getWorksheet(ctx, sheetRef);
  const t = workbookErrors(() => ctx.workbook.addTable(ws, parsed, optionalBoolean(o, 'hasHeaders', 'body') ?? false));
  workbookChanged(ctx, { type: 'created', resource: 'workbookTable', id: t.id });
  return { status: 200, body: { '@odata.context': `${call.metadata}#workbookTable`, ...tableJson(ctx, t) } };
};

const get: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  return { status: 200, body: { '@odata.context': `${call.metadata}#workbookTable`, ...tableJson(ctx, table(call, ctx)) } };
};

const remove: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  const t = table(call, ctx);
  ctx.workbook.tables.splice(ctx.workbook.tables.indexOf(t), 1);
  workbookChanged(ctx, { type: 'deleted', resource: 'workbookTable', id: t.id });
  return { status: 204 };
};

const rows: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  const t = table(call, ctx);
  const data = ctx.workbook.dataRect(t);
  const items: Record<string, unknown>[] = [];
  if (data) for (let r = data.r0; r <= data.r1; r++) items.push({ index: r - data.r0, values: [rowValues(ctx, t, r)] });
  return collectionResponse(call, items, { schema: ROW_SCHEMA, context: `${call.metadata}#workbookTableRows`, defaultPageSize: 200, maxTop: 1000, paging: 'skiptoken' });
};

function addRows(call: GraphCall, status: number): GraphResult {
  const ctx = openWorkbook(call);
  const t = table(call, ctx);
  const o = call.json();
  const values = o.values;
  const width = t.rect.c1 - t.rect.c0 + 1;
  if (!Array.isArray(values) || values.length === 0 || values.some((row) => !Array.isArray(row) || row.length !== width)) throw WorkbookErrors.shapeMismatch();
  const index = optionalNumber(o, 'index', 'body');
  const { index: at } = ctx.workbook.addRows(t, values as unknown[][], index === undefined ? undefined : Math.floor(index));
  workbookChanged(ctx, { type: 'updated', resource: 'workbookTable', id: t.id });
  const first = ctx.workbook.dataRect(t)!.r0 + at;
  const written = (values as unknown[][]).map((_, i) => rowValues(ctx, t, first + i));
  return { status, body: { '@odata.context': `${call.metadata}#workbookTableRow`, index: at, values: written } };
}

const columns: GraphHandler = (call) => {
  const ctx = openWorkbook(call);
  const t = table(call, ctx);
  const names = ctx.workbook.columnNames(t);
  const items = names.map((name, i) => {
    const values: unknown[][] = [];
    for (let r = t.rect.r0; r <= t.rect.r1; r++) values.push([rowValues(ctx, t, r)[i]]);
    return { id: String(i + 1), index: i, name, values };
  });
  return collectionResponse(call, items, { schema: COLUMN_SCHEMA, context: `${call.metadata}#workbookTableColumns`, defaultPageSize: 200, maxTop: 1000, paging: 'skiptoken' });
};

const range =
  (part: 'range' | 'headerRowRange' | 'dataBodyRange'): GraphHandler =>
  (call) => {
    const ctx = openWorkbook(call);
    const t = table(call, ctx);
    const ws = ctx.workbook.tableSheet(t);
    const rect = part === 'range' ? t.rect : part === 'headerRowRange' ? { ...t.rect, r1: t.rect.r0 } : (ctx.workbook.dataRect(t) ?? { ...t.rect, r0: t.rect.r1 + 1, r1: t.rect.r1 + 1 });
    return rangeResponse(call, ctx, ws, rect);
  };

function routesUnder(prefix: string): Route<GraphHandler>[] {
  return [
    { pattern: `${prefix}/tables`, methods: { GET: list } },
    { pattern: `${prefix}/tables/add`, methods: { POST: add } },
    { pattern: `${prefix}/tables/:table/rows/add`, methods: { POST: (c) => addRows(c, 200) } },
    { pattern: `${prefix}/tables/:table/rows`, methods: { GET: rows, POST: (c) => addRows(c, 201) } },
    { pattern: `${prefix}/tables/:table/columns`, methods: { GET: columns } },
    { pattern: `${prefix}/tables/:table/range`, methods: { GET: range('range') } },
    { pattern: `${prefix}/tables/:table/headerRowRange`, methods: { GET: range('headerRowRange') } },
    { pattern: `${prefix}/tables/:table/dataBodyRange`, methods: { GET: range('dataBodyRange') } },
    { pattern: `${prefix}/tables/:table`, methods: { GET: get, DELETE: remove } },
  ];
}

export const TABLE_ROUTES: Route<GraphHandler>[] = [...routesUnder('{drive}/{item}/workbook'), ...routesUnder('{drive}/{item}/workbook/worksheets/:worksheet')];
