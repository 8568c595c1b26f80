import type { RequestDefinition } from '@switchboard/catalog';
import { parseAddress, spanFrom } from './a1.ts';
import type { RegisteredStep } from './index.ts';

const WRITE_ROW: RequestDefinition = {
  method: 'PATCH',
  path: "{item}/workbook/worksheets/{sheet}/range(address='{address}')",
  body: { type: 'json', expr: '{values: [row]}' },
};

const ADD_TABLE_ROW: RequestDefinition = {
  method: 'POST',
  path: '{item}/workbook/worksheets/{sheet}/tables/{table}/rows/add',
  body: { type: 'json', expr: '{values: [row]}' },
  expectStatus: [200, 201],
};

interface UsedRange {
  address?: string;
  values?: unknown[][];
}

/**
 * Append Row: Graph has "add a row" only for tables. For a plain sheet the used range (values
 * only, so formatting does not count) gives the last row; the row is written below it from
 * column A. An empty sheet reports A1 with one empty cell: the row goes to row 1.
 */
export const excelAppendRow: RegisteredStep = {
  run: async (ctx) => {
    const row = ctx.input.row as unknown[];
    if (ctx.input.table !== undefined) {
      const added = await ctx.call(ADD_TABLE_ROW);
      const result = added.json as { index?: number; values?: unknown[][] } | undefined;
      return { address: null, rowCount: 1, columnCount: row.length, values: result?.values ?? [row], text: null, rows: null, index: result?.index ?? null };
    }
    const used = (await ctx.call(ctx.activity.request)).json as UsedRange | undefined;
    const cells = used?.address ? parseAddress(used.address) : undefined;
    const empty = !used?.values || used.values.every((r) => r.every((v) => v === '' || v === null));
    const nextRow = !cells || empty ? 1 : cells.to.row + 1;
    const address = spanFrom({ column: 0, row: nextRow }, 1, row.length);
    return ctx.run({ input: { ...ctx.input, address }, request: WRITE_ROW, pagination: null });
  },
};
