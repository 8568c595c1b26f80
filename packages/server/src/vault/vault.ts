import { randomBytes, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../store/database.ts';
import { DecryptionError, envelopeKeyId, open, seal } from './cipher.ts';
import type { MasterKey } from './master-key.ts';

export class VaultLockedError extends Error {
  override name = 'VaultLockedError';
}

export interface StoredSecret<T> {
  value: T;
  version: number;
  keyId: string;
}

interface KeyRow {
  id: string;
  wrapped: string;
  kek_id: string;
  state: 'active' | 'retired';
}

const WRAP_AAD = 'switchboard:vault-key';

/**
 * The credential vault. Secrets are JSON documents encrypted with AES-256-GCM under a data
 * key; data keys are stored wrapped by the master key (envelope encryption), so rotating
 * either never needs a restart. Associated data binds each ciphertext to its owner: a
 * ciphertext copied onto another connection's row does not decrypt.
 */
export class Vault {
  private readonly keys = new Map<string, Buffer>();

  private constructor(
    private readonly db: Database,
    private readonly master: MasterKey,
    private readonly previous: MasterKey[],
  ) {}

  /**
   * Unlocks the vault, or refuses: if the master key cannot unwrap the stored data keys the
   * service must not start, because it would otherwise fail on every secret later.
   */
  static async open(db: Database, master: MasterKey, previous: MasterKey[] = []): Promise<Vault> {
    const vault = new Vault(db, master, previous);
    await db.transaction(async (tx) => {
      // Serialises first-start key creation across instances.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [727_274_003]);
      const rows = await tx.query<KeyRow>('SELECT id, wrapped, kek_id, state FROM vault_keys');
      for (const row of rows) {
        const key = vault.unwrap(row);
        vault.keys.set(row.id, key);
        // A data key still wrapped by a previous master key is re-wrapped now: master key rotation.
        if (row.kek_id !== master.id) {
          await tx.query('UPDATE vault_keys SET wrapped = $2, kek_id = $3 WHERE id = $1', [row.id, seal(master.key, master.id, key, WRAP_AAD), master.id]);
        }
      }
      if (!rows.some((r) => r.state === 'active')) await vault.insertDataKey(tx);
    });
    return vault;
  }

  private unwrap(row: KeyRow): Buffer {
    const kek = [this.master, ...this.previous].find((k) => k.id === row.kek_id);
    if (!kek) {
      throw new VaultLockedError(
        `SWITCHBOARD_MASTER_KEY does not match the key that protects this store's secrets (data key ${row.id} is wrapped by master key ${row.kek_id}, this instance has ${this.master.id}). ` +
          'Start with the original key; to change keys, set the new one in SWITCHBOARD_MASTER_KEY and the old one in SWITCHBOARD_PREVIOUS_MASTER_KEYS.',
      );
    }
    try {
      return open(kek.key, row.wrapped, WRAP_AAD);
    } catch (error) {
      if (error instanceof DecryptionError) throw new VaultLockedError(`The master key cannot decrypt data key ${row.id}: the vault_keys table is damaged or was tampered with.`);
      throw error;
    }
  }

  private async insertDataKey(tx: Queryable): Promise<string> {
    const id = `dk_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const key = randomBytes(32);
    await tx.query("INSERT INTO vault_keys (id, wrapped, kek_id, state) VALUES ($1, $2, $3, 'active')", [id, seal(this.master.key, this.master.id, key, WRAP_AAD), this.master.id]);
    this.keys.set(id, key);
    return id;
  }

  /** Loads a data key another instance created (after its rotation) the first time it is met. */
  private async dataKey(id: string, db: Queryable): Promise<Buffer> {
    const cached = this.keys.get(id);
    if (cached) return cached;
    const [row] = await db.query<KeyRow>('SELECT id, wrapped, kek_id, state FROM vault_keys WHERE id = $1', [id]);
    if (!row) throw new VaultLockedError(`Unknown vault data key ${id}`);
    const key = this.unwrap(row);
    this.keys.set(id, key);
    return key;
  }

  /** Writers read the active key id in their own transaction, so a rotation elsewhere takes effect at once. */
  private async activeKeyId(db: Queryable): Promise<string> {
    const [row] = await db.query<{ id: string }>("SELECT id FROM vault_keys WHERE state = 'active'");
    if (!row) throw new VaultLockedError('The vault has no active data key');
    return row.id;
  }

  private static aad(scope: string, ownerId: string): string {
    return `switchboard:${scope}:${ownerId}`;
  }

  private async encrypt(db: Queryable, scope: string, ownerId: string, value: unknown): Promise<{ ciphertext: string; keyId: string }> {
    const keyId = await this.activeKeyId(db);
    const key = await this.dataKey(keyId, db);
    return { ciphertext: seal(key, keyId, Buffer.from(JSON.stringify(value), 'utf8'), Vault.aad(scope, ownerId)), keyId };
  }

  private async decrypt<T>(db: Queryable, scope: string, ownerId: string, ciphertext: string): Promise<T> {
    const key = await this.dataKey(envelopeKeyId(ciphertext), db);
    return JSON.parse(open(key, ciphertext, Vault.aad(scope, ownerId)).toString('utf8')) as T;
  }

  async get<T>(scope: string, ownerId: string, db: Queryable = this.db, options: { forUpdate?: boolean } = {}): Promise<StoredSecret<T> | undefined> {
    const [row] = await db.query<{ ciphertext: string; version: number; key_id: string }>(
      `SELECT ciphertext, version, key_id FROM vault_secrets WHERE scope = $1 AND owner_id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
      [scope, ownerId],
    );
    if (!row) return undefined;
    return { value: await this.decrypt<T>(db, scope, ownerId, row.ciphertext), version: row.version, keyId: row.key_id };
  }

  /** Creates or replaces a secret; returns its new version. */
  async put(scope: string, ownerId: string, value: unknown, db: Queryable = this.db): Promise<number> {
    const { ciphertext, keyId } = await this.encrypt(db, scope, ownerId, value);
    const [row] = await db.query<{ version: number }>(
      `INSERT INTO vault_secrets (scope, owner_id, ciphertext, key_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (scope, owner_id) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, key_id = EXCLUDED.key_id,
         version = vault_secrets.version + 1, updated_at = now()
       RETURNING version`,
      [scope, ownerId, ciphertext, keyId],
    );
    return row!.version;
  }

  /** Writes only if nobody wrote since `expectedVersion` was read; returns the new version, or undefined if someone did. */
  async compareAndSet(scope: string, ownerId: string, expectedVersion: number, value: unknown, db: Queryable = this.db): Promise<number | undefined> {
    const { ciphertext, keyId } = await this.encrypt(db, scope, ownerId, value);
    const [row] = await db.query<{ version: number }>(
      `UPDATE vault_secrets SET ciphertext = $4, key_id = $5, version = version + 1, updated_at = now()
        WHERE scope = $1 AND owner_id = $2 AND version = $3 RETURNING version`,
      [scope, ownerId, expectedVersion, ciphertext, keyId],
    );
    return row?.version;
  }

  async delete(scope: string, ownerId: string, db: Queryable = this.db): Promise<void> {
    await db.query('DELETE FROM vault_secrets WHERE scope = $1 AND owner_id = $2', [scope, ownerId]);
  }

  /**
   * Rotates the data key online: new writes use a new key at once, then every stored secret
   * is re-encrypted in batches with compare-and-swap, so concurrent writers never lose data.
   * The retired key stays readable for anything written by a transaction that began before.
   */
  async rotate(options: { batchSize?: number } = {}): Promise<{ keyId: string; reencrypted: number; remaining: number }> {
    const keyId = await this.db.transaction(async (tx) => {
      await tx.query("UPDATE vault_keys SET state = 'retired', retired_at = now() WHERE state = 'active'");
      return this.insertDataKey(tx);
    });
    let reencrypted = 0;
    for (;;) {
      const rows = await this.db.query<{ scope: string; owner_id: string; ciphertext: string; version: number }>(
        'SELECT scope, owner_id, ciphertext, version FROM vault_secrets WHERE key_id <> $1 LIMIT $2',
        [keyId, options.batchSize ?? 200],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const value = await this.decrypt(this.db, row.scope, row.owner_id, row.ciphertext);
        // A concurrent writer already re-encrypted this row under the new key if CAS fails.
        if (await this.compareAndSet(row.scope, row.owner_id, row.version, value)) reencrypted++;
      }
    }
    const [left] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM vault_secrets WHERE key_id <> $1', [keyId]);
    return { keyId, reencrypted, remaining: left!.n };
  }

  /** Startup self-test: every stored secret must decrypt, or the service refuses to start. */
  async verifyAll(): Promise<number> {
    const rows = await this.db.query<{ scope: string; owner_id: string; ciphertext: string }>('SELECT scope, owner_id, ciphertext FROM vault_secrets');
    for (const row of rows) {
      try {
        await this.decrypt(this.db, row.scope, row.owner_id, row.ciphertext);
      } catch (error) {
        if (error instanceof DecryptionError) throw new VaultLockedError(`The vault cannot decrypt the secret of ${row.scope} ${row.owner_id}: it was tampered with or encrypted under a key this store no longer has.`);
        throw error;
      }
    }
    return rows.length;
  }
}
