/** How the CLI prints: readable tables for people, JSON for scripts (`--json`). */
export interface Output {
  json: boolean;
}

export function print(out: Output, value: unknown, table?: { columns: string[]; rows: Record<string, unknown>[] }): void {
  if (out.json || !table) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  process.stdout.write(renderTable(table.columns, table.rows));
}

export function renderTable(columns: string[], rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)\n';
  const cell = (v: unknown) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => `${values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd()}\n`;
  return line(columns.map((c) => c.toUpperCase())) + rows.map((r) => line(columns.map((c) => cell(r[c])))).join('');
}

/** Key/value view of one object. */
export function printRecord(out: Output, value: Record<string, unknown>): void {
  if (out.json) return print(out, value);
  const width = Math.max(...Object.keys(value).map((k) => k.length));
  for (const [k, v] of Object.entries(value)) {
    const text = v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v ?? '');
    process.stdout.write(`${k.padEnd(width)}  ${text}\n`);
  }
}

/** One page of a list. Where more exist, the way to the next page goes to stderr, so stdout stays a clean table. */
export function printPage(out: Output, page: { items: unknown[]; nextCursor: string | null }, table: { columns: string[]; rows: Record<string, unknown>[] }): void {
  print(out, page, table);
  if (!out.json && page.nextCursor) process.stderr.write(`(more: repeat with --cursor ${page.nextCursor})\n`);
}
