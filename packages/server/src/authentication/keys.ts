import { importPKCS8 } from 'jose';

/**
 * Imports a PEM private key for signing assertions. Keys arrive as connection fields, so a
 * bad paste must become a clear field error, not a crypto stack trace.
 */
export class PrivateKeyError extends Error {
  override name = 'PrivateKeyError';
}

export async function importPrivateKey(pem: string, alg: string): Promise<CryptoKey> {
  const text = pem.trim();
  if (!text.includes('-----BEGIN PRIVATE KEY-----')) {
    throw new PrivateKeyError(text.includes('BEGIN RSA PRIVATE KEY') ? 'The private key is in PKCS#1 form; convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt).' : 'The private key must be a PEM-encoded PKCS#8 key (-----BEGIN PRIVATE KEY-----).');
  }
  try {
    return (await importPKCS8(text, alg, { extractable: false })) as CryptoKey;
  } catch (error) {
    throw new PrivateKeyError(`The private key cannot be used with ${alg}: ${(error as Error).message}`);
  }
}
