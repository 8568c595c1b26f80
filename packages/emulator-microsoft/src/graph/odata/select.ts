/** $select: top-level property names, canonicalised; the projection keeps what Graph always returns. */
import { findProperty, unknownPropertyError, type EntitySchema } from './schema.ts';

export function parseSelect(text: string | undefined, schema: EntitySchema): string[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => {
      // `fields/Title` style selects on open types keep their first segment.
      const top = name.split('/')[0]!;
      const found = findProperty(schema.props, top);
      if (!found) throw unknownPropertyError(schema, top);
      return found[0];
    });
}

/** Keeps `always` (e.g. `@odata.etag`, `id`) and the selected properties, in the entity's own order. */
export function project(entity: Record<string, unknown>, select: string[] | undefined, always: readonly string[]): Record<string, unknown> {
  if (!select) return entity;
  const keep = new Set([...always, ...select]);
  return Object.fromEntries(Object.entries(entity).filter(([k]) => keep.has(k) || k.startsWith('@odata.type')));
}
