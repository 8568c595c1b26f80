import type { FieldError } from '../../problems/problem.ts';
import { inputProblem } from '../input.ts';
import { parseCell, spanFrom } from './a1.ts';
import type { RegisteredStep } from './index.ts';

/** Rows of different lengths cannot be one range: say which row, before anything is sent. */
export function checkRectangular(values: unknown[][], at: string): void {
  const width = values[0]?.length ?? 0;
  const errors: FieldError[] = [];
  values.forEach((row, i) => {
    if (row.length !== width) errors.push({ path: `${at}/${i}`, message: `has ${row.length} cells; the first row has ${width} (a range is rectangular)`, rule: 'rectangular' });
  });
  if (width === 0) errors.push({ path: `${at}/0`, message: 'must have at least one cell', rule: 'minItems' });
  if (errors.length) throw inputProblem(errors);
}

/**
 * Write Range: Graph's range PATCH needs the address of exactly the block written, so a start
 * cell (what people give) is spanned to the size of the values; a full range is used as given.
 */
export const excelWriteRange: RegisteredStep = {
  check: ({ input }) => checkRectangular(input.values as unknown[][], '/input/values'),
  run: (ctx) => {
    const values = ctx.input.values as unknown[][];
    const start = parseCell(String(ctx.input.address));
    const address = start ? spanFrom(start, values.length, values[0]!.length) : String(ctx.input.address);
    return ctx.run({ input: { ...ctx.input, address }, pagination: null });
  },
};
