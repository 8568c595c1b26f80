/**
 * Validation of admin input (seeds, in-process calls, /_emulator JSON). Admin callers get one
 * clear message naming the offending field instead of a half-applied change.
 */

export class InputError extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly code = 'invalid_input',
  ) {
    super(message);
    this.name = 'InputError';
  }
}

export class NotFoundError extends InputError {
  constructor(message: string) {
    super(message, 404, 'not_found');
    this.name = 'NotFoundError';
  }
}

export type Json = Record<string, unknown>;

export function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${path} must be an object`);
  return value as Json;
}

export function requiredString(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') throw new InputError(`${path}.${key} must be a non-empty string`);
  return v;
}

export function optionalString(o: Json, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new InputError(`${path}.${key} must be a string`);
  return v;
}

/** undefined = absent, null = explicitly empty (Graph returns null for unset properties). */
export function nullableString(o: Json, key: string, path: string): string | null | undefined {
  const v = o[key];
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string') throw new InputError(`${path}.${key} must be a string or null`);
  return v;
}

export function optionalBoolean(o: Json, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new InputError(`${path}.${key} must be a boolean`);
  return v;
}

export function optionalNumber(o: Json, key: string, path: string, min = 0): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new InputError(`${path}.${key} must be a number >= ${min}`);
  return v;
}

export function stringArray(o: Json, key: string, path: string): string[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new InputError(`${path}.${key} must be an array of strings`);
  return v as string[];
}

export function oneOf<T extends string>(o: Json, key: string, path: string, allowed: readonly T[]): T | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new InputError(`${path}.${key} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

/** An instant given as ISO string, epoch ms or Date. */
export function optionalInstant(o: Json, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isFinite(ms)) throw new InputError(`${path}.${key} must be an ISO date, epoch milliseconds or a Date`);
  return ms;
}
