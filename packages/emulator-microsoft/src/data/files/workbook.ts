/**
 * An Excel workbook kept as grids: worksheets of cells (value or formula) and tables over
 * rectangles of a sheet. No xlsx parsing: workbooks come from the admin API, the seed, or an
 * uploaded `.xlsx` (which starts as one empty Sheet1). Formula cells are recalculated after
 * every write, so reads see values as Excel Online would report them.
 */
import { formatAddress, type Rect } from './a1.ts';
import { FormulaError, evaluateFormula, type Scalar } from './formula.ts';

export type CellValue = string | number | boolean;

export interface Cell {
  /** The entered constant, or the last computed result of the formula. */
  value: CellValue | FormulaError;
  formula?: string;
}

export interface Worksheet {
  id: string;
  name: string;
  position: number;
  visibility: 'Visible' | 'Hidden' | 'VeryHidden';
  cells: Map<string, Cell>;
}

export interface WorkbookTable {
  id: string;
  name: string;
  worksheetId: string;
  /** Header row included when showHeaders. */
  rect: Rect;
  showHeaders: boolean;
  showTotals: boolean;
  style: string;
}

export class WorkbookError extends Error {
  constructor(
    message: string,
    readonly kind: 'conflict' | 'invalid' | 'notFound',
  ) {
    super(message);
  }
}

const key = (r: number, c: number) => `${r},${c}`;

/** Excel Online's worksheet ids: `{00000000-0001-0000-0000-000000000000}` counting up. */
const sheetId = (n: number) => `{00000000-${n.toString(16).toUpperCase().padStart(4, '0')}-0000-0000-000000000000}`;

/** What a written value becomes: `=...` is a formula, numeric text a number (as typed into Excel). */
function enteredValue(v: unknown): Cell | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' && v.startsWith('=') && v.length > 1) return { value: '', formula: v };
  if (typeof v === 'string' && v.trim() !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim())) return { value: Number(v) };
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return { value: v };
  return { value: String(v) };
}

export class Workbook {
  readonly worksheets: Worksheet[] = [];
  readonly tables: WorkbookTable[] = [];
  private sheetCounter = 0;
  private tableCounter = 0;

  static empty(): Workbook {
    const wb = new Workbook();
    wb.addWorksheet('Sheet1');
    return wb;
  }

  worksheet(ref: string): Worksheet | undefined {
    const lower = ref.toLowerCase();
    return this.worksheets.find((w) => w.id.toLowerCase() === lower || w.name.toLowerCase() === lower);
  }

  addWorksheet(name?: string): Worksheet {
    const n = ++this.sheetCounter;
    let chosen = name;
    if (!chosen) {
      let i = this.worksheets.length + 1;
      while (this.worksheet(`Sheet${i}`)) i++;
      chosen = `Sheet${i}`;
    }
    if (this.worksheet(chosen)) throw new WorkbookError(`A worksheet named '${chosen}' already exists.`, 'conflict');
    if (/[\\/?*[\]:]/.test(chosen) || chosen.length > 31) throw new WorkbookError(`'${chosen}' is not a valid worksheet name.`, 'invalid');
    const ws: Worksheet = { id: sheetId(n), name: chosen, position: this.worksheets.length, visibility: 'Visible', cells: new Map() };
    this.worksheets.push(ws);
    return ws;
  }

  deleteWorksheet(ws: Worksheet): void {
    const i = this.worksheets.indexOf(ws);
    if (i >= 0) this.worksheets.splice(i, 1);
    this.worksheets.forEach((w, p) => (w.position = p));
    for (let t = this.tables.length - 1; t >= 0; t--) if (this.tables[t]!.worksheetId === ws.id) this.tables.splice(t, 1);
    this.recalculate();
  }

  cell(ws: Worksheet, r: number, c: number): Cell | undefined {
    return ws.cells.get(key(r, c));
  }

  /** Writes a 2-D array at a rectangle's top-left; `null` leaves a cell as it is (Graph semantics). */
  write(ws: Worksheet, rect: Rect, values: unknown[][], as: 'values' | 'formulas' = 'values'): void {
    values.forEach((row, dr) =>
      row.forEach((v, dc) => {
        const r = rect.r0 + dr;
        const c = rect.c0 + dc;
        if (v === null) return;
        const entered = as === 'formulas' && typeof v === 'string' && v.startsWith('=') ? { value: '', formula: v } : enteredValue(v);
        if (!entered || entered.value === '' && !entered.formula) ws.cells.delete(key(r, c));
        else ws.cells.set(key(r, c), entered);
      }),
    );
    this.recalculate();
  }

  /** The smallest rectangle holding every non-empty cell; `A1` for an empty sheet. */
  usedRect(ws: Worksheet, valuesOnly = false): Rect {
    let rect: Rect | undefined;
    for (const [k, cell] of ws.cells) {
      if (valuesOnly && cell.value === '' && !cell.formula) continue;
      const [r, c] = k.split(',').map(Number) as [number, number];
      rect = rect ? { r0: Math.min(rect.r0, r), c0: Math.min(rect.c0, c), r1: Math.max(rect.r1, r), c1: Math.max(rect.c1, c) } : { r0: r, c0: c, r1: r, c1: c };
    }
    return rect ?? { r0: 0, c0: 0, r1: 0, c1: 0 };
  }

  address(ws: Worksheet, rect: Rect): string {
    return formatAddress(ws.name, rect);
  }

  // --- Tables ------------------------------------------------------------------------------------

  table(ref: string): WorkbookTable | undefined {
    const lower = ref.toLowerCase();
    return this.tables.find((t) => t.id.toLowerCase() === lower || t.name.toLowerCase() === lower);
  }

  addTable(ws: Worksheet, rect: Rect, hasHeaders: boolean, name?: string): WorkbookTable {
    const n = ++this.tableCounter;
    const tableName = name ?? `Table${n}`;
    if (this.table(tableName)) throw new WorkbookError(`A table named '${tableName}' already exists.`, 'conflict');
    let r = rect;
    if (!hasHeaders) {
      // Excel inserts a header row above the data and names the columns Column1..N.
      this.shiftDown(ws, rect.r0, rect.c0, rect.c1, 1);
      this.write(ws, { ...rect, r1: rect.r0 }, [Array.from({ length: rect.c1 - rect.c0 + 1 }, (_, i) => `Column${i + 1}`)]);
      r = { ...rect, r1: rect.r1 + 1 };
    }
    const table: WorkbookTable = { id: String(n), name: tableName, worksheetId: ws.id, rect: r, showHeaders: true, showTotals: false, style: 'TableStyleMedium2' };
    this.tables.push(table);
    return table;
  }

  tableSheet(t: WorkbookTable): Worksheet {
    return this.worksheets.find((w) => w.id === t.worksheetId)!;
  }

  columnNames(t: WorkbookTable): string[] {
    const ws = this.tableSheet(t);
    const out: string[] = [];
    for (let c = t.rect.c0; c <= t.rect.c1; c++) {
      const v = this.cell(ws, t.rect.r0, c)?.value;
      out.push(v === undefined || v === '' ? `Column${c - t.rect.c0 + 1}` : displayText(v));
    }
    return out;
  }

  /** Data rows (below the header), zero-based. */
  dataRect(t: WorkbookTable): Rect | undefined {
    const r0 = t.rect.r0 + (t.showHeaders ? 1 : 0);
    return r0 > t.rect.r1 ? undefined : { ...t.rect, r0 };
  }

  /** Appends (or inserts at a zero-based data index) rows; cells below in the table's columns shift down. */
  addRows(t: WorkbookTable, rows: unknown[][], index?: number): { index: number } {
    const ws = this.tableSheet(t);
    const dataStart = t.rect.r0 + (t.showHeaders ? 1 : 0);
    const dataCount = t.rect.r1 - dataStart + 1;
    const at = index === undefined || index > dataCount ? dataCount : Math.max(0, index);
    const r = dataStart + at;
    this.shiftDown(ws, r, t.rect.c0, t.rect.c1, rows.length);
    t.rect = { ...t.rect, r1: t.rect.r1 + rows.length };
    this.write(ws, { r0: r, c0: t.rect.c0, r1: r + rows.length - 1, c1: t.rect.c1 }, rows);
    return { index: at };
  }

  private shiftDown(ws: Worksheet, fromRow: number, c0: number, c1: number, by: number): void {
    const moved = [...ws.cells].filter(([k]) => {
      const [r, c] = k.split(',').map(Number) as [number, number];
      return r >= fromRow && c >= c0 && c <= c1;
    });
    for (const [k] of moved) ws.cells.delete(k);
    for (const [k, cell] of moved) {
      const [r, c] = k.split(',').map(Number) as [number, number];
      ws.cells.set(key(r + by, c), cell);
    }
  }

  // --- Formulas ----------------------------------------------------------------------------------

  /** Re-evaluates every formula; cycles and deep chains end as #REF!. */
  recalculate(): void {
    const computing = new Set<string>();
    const done = new Set<string>();
    const valueOf = (ws: Worksheet, r: number, c: number): Scalar => {
      const id = `${ws.id}|${key(r, c)}`;
      const cell = ws.cells.get(key(r, c));
      if (!cell) return '';
      if (!cell.formula || done.has(id)) return cell.value;
      if (computing.has(id) || computing.size > 256) return new FormulaError('#REF!');
      computing.add(id);
      cell.value = evaluateFormula(cell.formula, {
        cell: (sheet, rr, cc) => {
          const target = sheet === undefined ? ws : this.worksheet(sheet);
          return target ? valueOf(target, rr, cc) : new FormulaError('#REF!');
        },
      });
      computing.delete(id);
      done.add(id);
      return cell.value;
    };
    for (const ws of this.worksheets) {
      for (const k of ws.cells.keys()) {
        const [r, c] = k.split(',').map(Number) as [number, number];
        valueOf(ws, r, c);
      }
    }
  }

  /** A plain snapshot (for the admin API and the file bytes). */
  toJSON(): { worksheets: { name: string; values: unknown[][] }[]; tables: { name: string; worksheet: string; address: string }[] } {
    return {
      worksheets: this.worksheets.map((ws) => {
        const used = this.usedRect(ws);
        const values: unknown[][] = [];
        for (let r = 0; r <= used.r1; r++) {
          const row: unknown[] = [];
          for (let c = 0; c <= used.c1; c++) {
            const cell = this.cell(ws, r, c);
            row.push(cell?.formula ?? (cell ? cellValue(cell) : ''));
          }
          values.push(row);
        }
        return { name: ws.name, values };
      }),
      tables: this.tables.map((t) => ({ name: t.name, worksheet: this.tableSheet(t).name, address: this.address(this.tableSheet(t), t.rect) })),
    };
  }
}

/** A cell's value as Graph reports it in `values` (errors as their code). */
export function cellValue(cell: Cell | undefined): CellValue {
  if (!cell) return '';
  return cell.value instanceof FormulaError ? cell.value.code : cell.value;
}

/** Excel's "General" rendering, which is what `text` holds for unformatted cells. */
export function displayText(v: CellValue | FormulaError): string {
  if (v instanceof FormulaError) return v.code;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(11)));
  return v;
}

export function valueType(cell: Cell | undefined): 'Empty' | 'String' | 'Double' | 'Boolean' | 'Error' {
  if (!cell || (cell.value === '' && !cell.formula)) return 'Empty';
  if (cell.value instanceof FormulaError) return 'Error';
  if (typeof cell.value === 'number') return 'Double';
  if (typeof cell.value === 'boolean') return 'Boolean';
  return cell.value === '' ? 'Empty' : 'String';
}
