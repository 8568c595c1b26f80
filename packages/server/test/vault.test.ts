import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { open, seal } from '../src/vault/cipher.ts';
import { MASTER_KEY_FILE, parseMasterKey, resolveMasterKeys } from '../src/vault/master-key.ts';
import { Vault, VaultLockedError } from '../src/vault/vault.ts';
import { STORE_KINDS, openTestStore } from './support/stores.ts';

const key = (n: number) => parseMasterKey(Buffer.alloc(32, n).toString('base64'), 'test');

test('AES-256-GCM envelope: round trip, and any change fails closed', () => {
  const k = Buffer.alloc(32, 1);
  const sealed = seal(k, 'dk_1', Buffer.from('refresh-token-value'), 'switchboard:connection:a');
  assert.match(sealed, /^v1\.dk_1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
  assert.ok(!sealed.includes('refresh-token-value'));
  assert.equal(open(k, sealed, 'switchboard:connection:a').toString(), 'refresh-token-value');
  assert.throws(() => open(k, sealed, 'switchboard:connection:b'), /cannot decrypt/, 'bound to its owner');
  assert.throws(() => open(Buffer.alloc(32, 2), sealed, 'switchboard:connection:a'), /cannot decrypt/, 'wrong key');
  const parts = sealed.split('.');
  const body = Buffer.from(parts[3]!, 'base64url');
  body[0] = body[0]! ^ 1;
  assert.throws(() => open(k, [...parts.slice(0, 3), body.toString('base64url')].join('.'), 'switchboard:connection:a'), /cannot decrypt/, 'tampered');
  const a = seal(k, 'dk_1', Buffer.from('x'), 'aad');
  const b = seal(k, 'dk_1', Buffer.from('x'), 'aad');
  assert.notEqual(a, b, 'a fresh IV every time');
});

test('master key: parsed strictly; generated once into the data folder with 0600', async () => {
  assert.throws(() => parseMasterKey('short', 'SWITCHBOARD_MASTER_KEY'), /32 random bytes/);
  assert.equal(parseMasterKey('ab'.repeat(32), 'x').key.length, 32, 'hex works');
  const dir = await mkdtemp(join(tmpdir(), 'sb-key-'));
  try {
    const first = await resolveMasterKeys({ dataDir: dir });
    assert.equal(first.generated, true);
    const mode = (await stat(join(dir, MASTER_KEY_FILE))).mode & 0o777;
    assert.equal(mode, 0o600);
    const second = await resolveMasterKeys({ dataDir: dir });
    assert.equal(second.generated, false);
    assert.equal(second.current.id, first.current.id);
    assert.ok((await readFile(join(dir, MASTER_KEY_FILE), 'utf8')).trim().length >= 43);
    await assert.rejects(resolveMasterKeys({}), /SWITCHBOARD_MASTER_KEY is required with DATABASE_URL/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

for (const kind of STORE_KINDS) {
  describe(`vault (${kind} store)`, () => {
    test('secrets are stored encrypted, bound to their owner, with a key id', async () => {
      const store = await openTestStore(kind);
      try {
        const vault = await Vault.open(store.db, key(1));
        const owner = randomUUID();
        await vault.put('connection', owner, { clientSecret: 'very-secret-value', tokens: { refreshToken: 'rt-123' } });
        const [row] = await store.db.query<{ ciphertext: string; key_id: string }>('SELECT ciphertext, key_id FROM vault_secrets WHERE owner_id = $1', [owner]);
        assert.ok(!row!.ciphertext.includes('very-secret-value') && !row!.ciphertext.includes('rt-123'));
        assert.equal(row!.ciphertext.split('.')[1], row!.key_id);
        assert.deepEqual((await vault.get('connection', owner))!.value, { clientSecret: 'very-secret-value', tokens: { refreshToken: 'rt-123' } });
        // A ciphertext moved onto another owner does not decrypt.
        const other = randomUUID();
        await store.db.query('INSERT INTO vault_secrets (scope, owner_id, ciphertext, key_id) VALUES ($1, $2, $3, $4)', ['connection', other, row!.ciphertext, row!.key_id]);
        await assert.rejects(vault.get('connection', other), /cannot decrypt/);
      } finally {
        await store.drop();
      }
    });

    test('compare-and-set refuses a stale writer', async () => {
      const store = await openTestStore(kind);
      try {
        const vault = await Vault.open(store.db, key(1));
        const owner = randomUUID();
        const v1 = await vault.put('connection', owner, { n: 1 });
        const v2 = await vault.compareAndSet('connection', owner, v1, { n: 2 });
        assert.equal(v2, v1 + 1);
        assert.equal(await vault.compareAndSet('connection', owner, v1, { n: 3 }), undefined);
        assert.deepEqual((await vault.get('connection', owner))!.value, { n: 2 });
      } finally {
        await store.drop();
      }
    });

    test('data key rotation re-encrypts everything online and old ciphertexts stay readable meanwhile', async () => {
      const store = await openTestStore(kind);
      try {
        const vault = await Vault.open(store.db, key(1));
        const owners = Array.from({ length: 25 }, () => randomUUID());
        for (const [i, o] of owners.entries()) await vault.put('connection', o, { i });
        const [before] = await store.db.query<{ key_id: string }>('SELECT DISTINCT key_id FROM vault_secrets');
        // A second instance on the same store keeps working across the rotation.
        const other = await Vault.open(store.db, key(1));
        const result = await vault.rotate({ batchSize: 7 });
        assert.equal(result.reencrypted, 25);
        assert.equal(result.remaining, 0);
        assert.notEqual(result.keyId, before!.key_id);
        const keys = await store.db.query<{ key_id: string }>('SELECT DISTINCT key_id FROM vault_secrets');
        assert.deepEqual(keys.map((k) => k.key_id), [result.keyId]);
        for (const [i, o] of owners.entries()) assert.deepEqual((await other.get('connection', o))!.value, { i });
        // The other instance writes with the new active key without restarting.
        await other.put('connection', owners[0]!, { i: 'new' });
        const [written] = await store.db.query<{ key_id: string }>('SELECT key_id FROM vault_secrets WHERE owner_id = $1', [owners[0]]);
        assert.equal(written!.key_id, result.keyId);
      } finally {
        await store.drop();
      }
    });

    test('a wrong master key refuses to open; master key rotation re-wraps data keys', async () => {
      const store = await openTestStore(kind);
      try {
        const vault = await Vault.open(store.db, key(1));
        const owner = randomUUID();
        await vault.put('connection', owner, { secret: 's' });
        await assert.rejects(Vault.open(store.db, key(2)), (e: Error) => e instanceof VaultLockedError && /does not match the key/.test(e.message));
        const rotated = await Vault.open(store.db, key(2), [key(1)]);
        assert.deepEqual((await rotated.get('connection', owner))!.value, { secret: 's' });
        // Now only the new master key opens it.
        const after = await Vault.open(store.db, key(2));
        assert.deepEqual((await after.get('connection', owner))!.value, { secret: 's' });
        await assert.rejects(Vault.open(store.db, key(1)), VaultLockedError);
      } finally {
        await store.drop();
      }
    });
  });
}
