/**
 * The token-signing key. One RS256 key per emulator run, generated at start: tokens from a
 * previous run must not validate, just as Microsoft's keys roll. Published as a JWKS so clients
 * that validate id tokens can do it for real.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return { kid, privateKey, publicKey, publicJwk };
}

/** The discovery keys document. Microsoft lists `x5t` equal to `kid`; there is no certificate chain here. */
export function jwks(key: SigningKey, issuer: string): { keys: Record<string, unknown>[] } {
  const { n, e, kty } = key.publicJwk;
  return { keys: [{ kty, use: 'sig', kid: key.kid, x5t: key.kid, n, e, issuer }] };
}
