/** Workbook objects → Graph JSON: workbookWorksheet, workbookRange, workbookTable, rows and columns. */
import type { Rect } from '../../data/files/a1.ts';
import { cellValue, displayText, valueType, type WorkbookTable, type Worksheet } from '../../data/files/workbook.ts';
import type { GraphCall, GraphResult } from '../call.ts';
import { T, type EntitySchema } from '../odata/schema.ts';
import { parseSelect, project } from '../odata/select.ts';
import { workbookPath, type WorkbookContext } from './workbook-access.ts';

const quote = (s: string) => encodeURIComponent(`'${s}'`);

export function worksheetJson(ctx: WorkbookContext, ws: Worksheet): Record<string, unknown> {
  return { '@odata.id': `${workbookPath(ctx)}/worksheets(${quote(ws.id)})`, id: ws.id, name: ws.name, position: ws.position, visibility: ws.visibility };
}

function grid<T>(rect: Rect, cell: (r: number, c: number) => T): T[][] {
  const rows: T[][] = [];
  for (let r = rect.r0; r <= rect.r1; r++) {
    const row: T[] = [];
    for (let c = rect.c0; c <= rect.c1; c++) row.push(cell(r, c));
    rows.push(row);
  }
  return rows;
}

export function rangeJson(call: GraphCall, ctx: WorkbookContext, ws: Worksheet, rect: Rect): Record<string, unknown> {
  const wb = ctx.workbook;
  const at = (r: number, c: number) => wb.cell(ws, r, c);
  const address = wb.address(ws, rect);
  const rowCount = rect.r1 - rect.r0 + 1;
  const columnCount = rect.c1 - rect.c0 + 1;
  const formulas = grid(rect, (r, c) => at(r, c)?.formula ?? cellValue(at(r, c)));
  return {
    '@odata.context': `${call.metadata}#workbookRange`,
    '@odata.type': '#microsoft.graph.workbookRange',
    '@odata.id': `${workbookPath(ctx)}/worksheets(${quote(ws.id)})/range(address=${quote(address.split('!')[1]!)})`,
    address,
    addressLocal: address,
    columnCount,
    cellCount: rowCount * columnCount,
    columnHidden: false,
    rowHidden: false,
    numberFormat: grid(rect, () => 'General'),
    columnIndex: rect.c0,
    text: grid(rect, (r, c) => {
      const cell = at(r, c);
      return cell ? displayText(cell.value) : '';
    }),
    formulas,
    formulasLocal: formulas,
    formulasR1C1: formulas,
    hidden: false,
    rowCount,
    rowIndex: rect.r0,
    valueTypes: grid(rect, (r, c) => valueType(at(r, c))),
    values: grid(rect, (r, c) => cellValue(at(r, c))),
  };
}

const RANGE_PROPERTIES = ['address', 'addressLocal', 'columnCount', 'cellCount', 'columnHidden', 'rowHidden', 'numberFormat', 'columnIndex', 'text', 'formulas', 'formulasLocal', 'formulasR1C1', 'hidden', 'rowCount', 'rowIndex', 'valueTypes', 'values'];
const RANGE_SCHEMA: EntitySchema = { typeName: 'microsoft.graph.workbookRange', props: Object.fromEntries(RANGE_PROPERTIES.map((p) => [p, T.open])) };

/** A range answer with $select applied (connectors ask for just `address,values`). */
export function rangeResponse(call: GraphCall, ctx: WorkbookContext, ws: Worksheet, rect: Rect): GraphResult {
  const select = parseSelect(call.option('$select'), RANGE_SCHEMA);
  return { status: 200, body: project(rangeJson(call, ctx, ws, rect), select, ['@odata.context', '@odata.type', '@odata.id']) };
}

export function tableJson(ctx: WorkbookContext, t: WorkbookTable): Record<string, unknown> {
  return {
    '@odata.id': `${workbookPath(ctx)}/tables(${quote(t.id)})`,
    id: t.id,
    name: t.name,
    showHeaders: t.showHeaders,
    showTotals: t.showTotals,
    style: t.style,
    highlightFirstColumn: false,
    highlightLastColumn: false,
    showBandedColumns: false,
    showBandedRows: true,
    showFilterButton: true,
    legacyId: t.id,
  };
}

export function rowValues(ctx: WorkbookContext, t: WorkbookTable, r: number): unknown[] {
  const ws = ctx.workbook.tableSheet(t);
  const row: unknown[] = [];
  for (let c = t.rect.c0; c <= t.rect.c1; c++) row.push(cellValue(ctx.workbook.cell(ws, r, c)));
  return row;
}
