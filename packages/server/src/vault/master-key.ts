import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The master key (key-encryption key) wraps the vault's data keys. It never touches the
 * store: it comes from SWITCHBOARD_MASTER_KEY, or, for the embedded store only, from a
 * file generated on first start in the data folder with owner-only permissions.
 */
export interface MasterKey {
  /** Short fingerprint recorded beside each wrapped data key, so a key change is detected, not guessed. */
  id: string;
  key: Buffer;
}

export class MasterKeyError extends Error {
  override name = 'MasterKeyError';
}

export function parseMasterKey(text: string, source: string): MasterKey {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new MasterKeyError(`${source} must be 32 random bytes, base64 or hex encoded (generate one with: openssl rand -base64 32)`);
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

export const MASTER_KEY_FILE = 'master.key';

export async function resolveMasterKeys(options: {
  masterKey?: string | undefined;
  previousMasterKeys?: string | undefined;
  /** Set for the embedded store: where to keep a generated key. */
  dataDir?: string | undefined;
}): Promise<{ current: MasterKey; previous: MasterKey[]; generated: boolean }> {
  const previous = (options.previousMasterKeys ?? '')
    .split(',')
    .filter((s) => s.trim())
    .map((s, i) => parseMasterKey(s, `SWITCHBOARD_PREVIOUS_MASTER_KEYS entry ${i + 1}`));
  if (options.masterKey) return { current: parseMasterKey(options.masterKey, 'SWITCHBOARD_MASTER_KEY'), previous, generated: false };
  if (!options.dataDir) {
    throw new MasterKeyError('SWITCHBOARD_MASTER_KEY is required with DATABASE_URL: every instance must use the same key (generate one with: openssl rand -base64 32)');
  }
  const path = join(options.dataDir, MASTER_KEY_FILE);
  try {
    return { current: parseMasterKey(await readFile(path, 'utf8'), path), previous, generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const text = randomBytes(32).toString('base64');
  // `wx`: never overwrite a key another process just wrote.
  await writeFile(path, `${text}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  return { current: parseMasterKey(text, path), previous, generated: true };
}
