import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { Problem } from '../problems/problem.ts';

/**
 * Console passwords, hashed with scrypt (a memory-hard KDF in node:crypto) and a per-user
 * random salt. The stored form names its parameters, so the cost can be raised later
 * without invalidating existing hashes:  scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>
 */

/** N = 2^15, r = 8: 32 MiB and ~50-100 ms per hash on a small server (OWASP's scrypt baseline is 2^17 / 8 / 1 at 128 MiB; this trades some cost for memory on 2-core hosts). */
const COST_LOG2 = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Node refuses scrypt above maxmem; 128 * N * r bytes plus headroom. */
const MAX_MEMORY = 256 * 1024 * 1024;

export const PASSWORD_MIN_LENGTH = 12;
/** scrypt takes any length, but a cap stops multi-megabyte "passwords" from costing CPU on every try. */
export const PASSWORD_MAX_LENGTH = 256;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: 2 ** logN, r, p, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, COST_LOG2, BLOCK_SIZE, PARALLELISM);
  return ['scrypt', COST_LOG2, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time comparison of the derived key; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![logN, r, p].every((n) => Number.isInteger(n) && n > 0) || logN > 20) return false;
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LENGTH || password.length > PASSWORD_MAX_LENGTH) return false;
  const actual = await derive(password, Buffer.from(parts[4]!, 'base64url'), logN, r, p);
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of a random password, verified against when the email is unknown or has no password,
 * so a wrong email costs the same time as a wrong password and does not reveal who has an account.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** A password for a person to type once and then change: 20 characters of base64url (120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/** The policy is length only (NIST SP 800-63B): no composition rules, which push people to predictable patterns. */
export function checkNewPassword(password: string, path = '/body/newPassword'): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw new Problem('VALIDATION_FAILED', `A password must have ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`, {
      errors: [{ path, message: `must have ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`, rule: 'password-length' }],
    });
  }
}
