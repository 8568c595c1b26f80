/**
 * Excel A1 addresses: `A1`, `B2:D9`, `Sheet1!A1:C3`, `'Q1 Sales'!A:A`, `3:5`. Rows and columns
 * are zero-based inside the emulator and one-based / lettered on the wire.
 */

export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

export interface Rect {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

export interface ParsedAddress extends Rect {
  sheet?: string;
  /** `A:C` (whole columns) or `1:3` (whole rows): clamp against the used range when reading. */
  wholeColumns: boolean;
  wholeRows: boolean;
}

export class AddressError extends Error {}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

const CELL = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/;
const COLUMN = /^\$?([A-Za-z]{1,3})$/;
const ROW = /^\$?(\d{1,7})$/;

function splitSheet(address: string): { sheet?: string; ref: string } {
  const bang = address.lastIndexOf('!');
  if (bang === -1) return { ref: address };
  let sheet = address.slice(0, bang);
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  return { sheet, ref: address.slice(bang + 1) };
}

export function parseAddress(address: string): ParsedAddress {
  const { sheet, ref } = splitSheet(address.trim());
  const [a, b = a] = ref.split(':');
  if (!a || !b || ref.split(':').length > 2) throw new AddressError(`'${address}' is not a valid address`);
  const base = sheet !== undefined ? { sheet } : {};
  const ca = CELL.exec(a);
  const cb = CELL.exec(b);
  if (ca && cb) {
    const rect = order(Number(ca[2]) - 1, columnIndex(ca[1]!), Number(cb[2]) - 1, columnIndex(cb[1]!));
    check(rect, address);
    return { ...base, ...rect, wholeColumns: false, wholeRows: false };
  }
  const colA = COLUMN.exec(a);
  const colB = COLUMN.exec(b);
  if (colA && colB) {
    const rect = order(0, columnIndex(colA[1]!), MAX_ROWS - 1, columnIndex(colB[1]!));
    check(rect, address);
    return { ...base, ...rect, wholeColumns: true, wholeRows: false };
  }
  const rowA = ROW.exec(a);
  const rowB = ROW.exec(b);
  if (rowA && rowB) {
    const rect = order(Number(rowA[1]) - 1, 0, Number(rowB[1]) - 1, MAX_COLUMNS - 1);
    check(rect, address);
    return { ...base, ...rect, wholeColumns: false, wholeRows: true };
  }
  throw new AddressError(`'${address}' is not a valid address`);
}

function order(r0: number, c0: number, r1: number, c1: number): Rect {
  return { r0: Math.min(r0, r1), c0: Math.min(c0, c1), r1: Math.max(r0, r1), c1: Math.max(c0, c1) };
}

function check(r: Rect, address: string): void {
  if (r.r0 < 0 || r.c0 < 0 || r.r1 >= MAX_ROWS || r.c1 >= MAX_COLUMNS) throw new AddressError(`'${address}' is outside the worksheet`);
}

/** `Sheet1!A1:C3`, `'Q1 Sales'!B2` — how Graph reports a range's address. */
export function formatAddress(sheet: string, r: Rect): string {
  const quoted = /^[A-Za-z_][\w.]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  const a = `${columnLetters(r.c0)}${r.r0 + 1}`;
  const b = `${columnLetters(r.c1)}${r.r1 + 1}`;
  return `${quoted}!${a === b ? a : `${a}:${b}`}`;
}
