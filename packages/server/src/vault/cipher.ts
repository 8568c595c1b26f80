import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a random 96-bit IV and a 128-bit tag. The envelope is text so it sits
 * in any column: `v1.<key id>.<iv>.<ciphertext+tag>` (base64url). The key id travels with
 * every ciphertext, so keys can rotate while old ciphertexts stay readable.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

export function seal(key: Buffer, keyId: string, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${keyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

export function envelopeKeyId(envelope: string): string {
  const parts = envelope.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptionError('not a vault ciphertext');
  return parts[1]!;
}

/** Fails closed: a wrong key, a wrong associated data or a flipped bit all throw; nothing falls back to plaintext. */
export function open(key: Buffer, envelope: string, aad: string): Buffer {
  const parts = envelope.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptionError('not a vault ciphertext');
  const iv = Buffer.from(parts[2]!, 'base64url');
  const body = Buffer.from(parts[3]!, 'base64url');
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new DecryptionError('truncated vault ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError('the key cannot decrypt this ciphertext, or it was tampered with');
  }
}
