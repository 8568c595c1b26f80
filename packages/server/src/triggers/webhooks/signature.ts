import { createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import { type SignatureDefinition, conditionHolds, parseTemplate } from '@switchboard/catalog';
import { Problem } from '../../problems/problem.ts';
import type { TriggerScope } from '../request.ts';
import '../errors.ts';

export interface InboundRequest {
  method: string;
  /** The URL the sender called, as this service publishes it (PUBLIC_URL based, never from request headers). */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

export interface SignatureSecrets {
  connectionField(field: string): string | undefined;
  subscription(): Promise<string | undefined>;
  connectorSetting(name: string): string | undefined;
}

const HMAC: Record<string, string> = { 'hmac-sha256': 'sha256', 'hmac-sha1': 'sha1', 'hmac-sha512': 'sha512' };
const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * Verifies a delivery's signature as the connector definition describes it. Verification is
 * on whenever the definition has a signature (and its `when` holds, e.g. a signing secret was
 * entered), and it fails closed: no signature, a wrong one, a stale timestamp or a secret that
 * cannot be found all refuse the delivery. `none-with-client-state` is checked per event by
 * the caller (the state is inside the events).
 */
export async function verifySignature(def: SignatureDefinition | undefined, scope: TriggerScope, request: InboundRequest, secrets: SignatureSecrets, now: Date): Promise<'verified' | 'client-state' | 'not-required'> {
  if (!def) return 'not-required';
  if (def.when && !conditionHolds(def.when, scope.ctx.values)) return 'not-required';
  const algorithm = scope.ref(def.algorithm);
  if (algorithm === 'none-with-client-state') return 'client-state';

  const headerName = scope.text(def.header ?? '').toLowerCase();
  const header = single(request.headers[headerName]);
  if (!header) throw refused(`The delivery has no ${headerName || 'signature'} header.`);

  let timestamp: string | undefined;
  if (def.timestampHeader) {
    timestamp = single(request.headers[def.timestampHeader.toLowerCase()]);
    const seconds = timestamp !== undefined && /^\d+$/.test(timestamp.trim()) ? Number(timestamp.trim()) : Number.NaN;
    if (!Number.isFinite(seconds)) throw stale(`The delivery has no readable ${def.timestampHeader} header.`);
    const at = seconds > 1e11 ? seconds : seconds * 1000;
    const tolerance = (def.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) * 1000;
    if (Math.abs(now.getTime() - at) > tolerance) throw stale(`The delivery's timestamp is more than ${tolerance / 1000} seconds from now.`);
  }

  const secret = await secretOf(def, secrets);
  if (!secret) throw refused('The signing secret of this webhook is not configured, so no delivery can be verified.');
  const payload = signedPayload(def.signedPayload ?? '{body}', request, timestamp);
  const prefix = scope.optionalText(def.prefix);
  // Several signatures may be sent at once (space-separated, e.g. during a secret rotation); one must match.
  const candidates = header.trim().split(/\s+/).filter((c) => c.startsWith(prefix)).map((c) => c.slice(prefix.length));
  if (candidates.length === 0) throw refused(`The ${headerName} header does not start with "${prefix}".`);

  if (algorithm === 'ed25519') {
    const key = ed25519Key(secret);
    const ok = candidates.some((c) => {
      const sig = decode(c, scope.ref(def.encoding ?? 'base64'));
      return sig !== undefined && verify(null, payload, key, sig);
    });
    if (!ok) throw refused('The signature does not match the delivery.');
    return 'verified';
  }
  const hash = HMAC[algorithm];
  if (!hash) throw refused(`The signature algorithm "${algorithm}" is not supported.`);
  const encoding = scope.ref(def.encoding ?? 'hex') === 'base64' ? 'base64' : 'hex';
  const expected = createHmac(hash, secret).update(payload).digest();
  const ok = candidates.some((c) => {
    const given = decode(c, encoding);
    return given !== undefined && given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!ok) throw refused('The signature does not match the delivery.');
  return 'verified';
}

/** The bytes that were signed: the template with {body} as the raw body bytes (never re-encoded). */
function signedPayload(template: string, request: InboundRequest, timestamp: string | undefined): Buffer {
  const parts: Buffer[] = [];
  for (const part of parseTemplate(template)) {
    if (typeof part === 'string') parts.push(Buffer.from(part, 'utf8'));
    else if (part.name === 'body') parts.push(request.rawBody);
    else if (part.name === 'timestamp') parts.push(Buffer.from(timestamp ?? '', 'utf8'));
    else if (part.name === 'url') parts.push(Buffer.from(request.url, 'utf8'));
    else if (part.name === 'method') parts.push(Buffer.from(request.method.toUpperCase(), 'utf8'));
  }
  return Buffer.concat(parts);
}

async function secretOf(def: SignatureDefinition, secrets: SignatureSecrets): Promise<string | undefined> {
  switch (def.secret.from) {
    case 'connection-field':
      return def.secret.field ? secrets.connectionField(def.secret.field) : undefined;
    case 'subscription':
      return secrets.subscription();
    case 'connector-setting':
      return def.secret.field ? secrets.connectorSetting(def.secret.field) : undefined;
  }
}

function decode(text: string, encoding: string): Buffer | undefined {
  if (encoding === 'hex') return /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : undefined;
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/** An Ed25519 public key: PEM, or the 32 raw key bytes in base64 or hex. */
function ed25519Key(secret: string) {
  if (secret.includes('BEGIN PUBLIC KEY')) return createPublicKey(secret);
  const raw = /^[0-9a-fA-F]{64}$/.test(secret) ? Buffer.from(secret, 'hex') : Buffer.from(secret, 'base64');
  // SubjectPublicKeyInfo for Ed25519 (RFC 8410) is a fixed 12-byte prefix followed by the key.
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function refused(message: string): Problem {
  return new Problem('WEBHOOK_SIGNATURE_INVALID', message);
}

function stale(message: string): Problem {
  return new Problem('WEBHOOK_TIMESTAMP_INVALID', message);
}
