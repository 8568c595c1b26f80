// RFC 6901 JSON Pointers: the one way the format names a place in a JSON document
// (records, cursors, identity values) and the way validation errors name a place in a definition.

/** Escapes one reference token (~ becomes ~0, / becomes ~1). */
export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends reference tokens to a pointer: pointerJoin('/auth', 0, 'type') is /auth/0/type. */
export function pointerJoin(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((t) => '/' + escapeToken(t)).join('');
}

/** Reads the value a pointer designates, or undefined when any step is missing. */
export function readPointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  if (!pointer.startsWith('/')) throw new Error(`"${pointer}" is not a JSON Pointer (must start with /)`);
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}
