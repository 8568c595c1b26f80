/**
 * A1 references of Excel: column letters A..XFD and 1-based rows. Only what writing rows needs:
 * parse a cell or range, and span a block of values from its top-left cell.
 */
export interface Cell {
  /** 0-based column index (A = 0). */
  column: number;
  /** 1-based row number. */
  row: number;
}

export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** A cell such as B7 or $B$7; undefined when it is not one. */
export function parseCell(text: string): Cell | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$/.exec(text.trim());
  return m ? { column: columnIndex(m[1]!), row: Number(m[2]) } : undefined;
}

export function cellName(cell: Cell): string {
  return `${columnName(cell.column)}${cell.row}`;
}

/** The range a block of `rows` x `columns` covers from its top-left cell, e.g. B2 + 2x3 = B2:D3. */
export function spanFrom(topLeft: Cell, rows: number, columns: number): string {
  return `${cellName(topLeft)}:${cellName({ column: topLeft.column + columns - 1, row: topLeft.row + rows - 1 })}`;
}

/** The cells of an address as Graph returns it, e.g. Sheet1!A1:C5 or 'My sheet'!B2. */
export function parseAddress(address: string): { from: Cell; to: Cell } | undefined {
  const local = address.includes('!') ? address.slice(address.lastIndexOf('!') + 1) : address;
  const [a, b] = local.split(':');
  const from = a === undefined ? undefined : parseCell(a);
  const to = b === undefined ? from : parseCell(b);
  return from && to ? { from, to } : undefined;
}
