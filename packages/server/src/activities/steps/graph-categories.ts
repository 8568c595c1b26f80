import type { RegisteredStep } from './index.ts';
import type { StepContext } from './step.ts';

/**
 * Add and Remove Email Categories: Graph only replaces a message's whole category list, so
 * the current list is read first and the changed list written back (read-modify-write). Outlook
 * compares category names without regard to case, and so does this.
 */
async function change(ctx: StepContext, apply: (current: string[], given: string[]) => string[]): Promise<unknown> {
  const { request } = ctx.activity;
  const current = await ctx.call({ method: 'GET', path: request.path, query: { $select: 'categories' } });
  const existing = ((current.json as { categories?: unknown } | undefined)?.categories ?? []) as string[];
  const categories = apply(existing, ctx.input.categories as string[]);
  return ctx.run({ input: { ...ctx.input, categories }, pagination: null });
}

const key = (s: string) => s.toLocaleLowerCase('en');

export const graphAddCategories: RegisteredStep = {
  run: (ctx) =>
    change(ctx, (current, given) => {
      const have = new Set(current.map(key));
      const categories = [...current];
      for (const category of given) {
        if (have.has(key(category))) continue;
        have.add(key(category));
        categories.push(category);
      }
      return categories;
    }),
};

export const graphRemoveCategories: RegisteredStep = {
  run: (ctx) =>
    change(ctx, (current, given) => {
      const drop = new Set(given.map(key));
      return current.filter((c) => !drop.has(key(c)));
    }),
};
