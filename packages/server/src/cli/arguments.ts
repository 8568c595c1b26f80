import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';

// Option values are checked as commander reads them: InvalidArgumentError makes a bad value a
// usage error (the message names the option, and main.ts exits with 2) before any call is made.

export function parsePositive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

/** JSON given inline, or read from a file with a leading @ (`@-` reads standard input), as curl does. */
export function parseJson(value: string, flag: string): unknown {
  const file = value.startsWith('@') ? value.slice(1) : undefined;
  const text = file === undefined ? value : readText(file, flag);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidArgumentError(`${flag} is not valid JSON${file === undefined ? '' : ` (in ${file})`}: ${(error as Error).message}`);
  }
}

export function parseJsonObject(value: string, flag: string): Record<string, unknown> {
  const parsed = parseJson(value, flag);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError(`${flag} must be a JSON object, like {"name": "value"}`);
  return parsed as Record<string, unknown>;
}

/** A repeatable `--header 'Name: value'`, collected into one object. */
export function collectHeader(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new InvalidArgumentError(`--header must look like "Name: value", got "${value}"`);
  return { ...previous, [value.slice(0, colon).trim()]: value.slice(colon + 1).trim() };
}

export function readText(file: string, flag: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(`${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
