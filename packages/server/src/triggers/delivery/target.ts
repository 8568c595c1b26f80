import { lookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent } from 'undici';
import { type AddressCategory, classifyAddress, literalCategory } from '../../outbound/address-policy.ts';
import { Problem } from '../../problems/problem.ts';
import '../errors.ts';

/**
 * Where outbound deliveries may go. A trigger's target is chosen by whoever creates the
 * trigger, so it is an SSRF vector: only http(s) URLs without credentials, and never this
 * machine, the private network or cloud metadata addresses unless the operator allows private
 * targets (SWITCHBOARD_ALLOW_PRIVATE_TARGETS; tests and on-premises receivers). Link-local and
 * reserved addresses stay refused either way. The check runs twice: on the URL when the trigger
 * is saved, and on the address actually connected to, so a name that resolves to a private
 * address later (DNS rebinding) is refused too.
 */
export function allowedCategory(category: AddressCategory, allowPrivate: boolean): boolean {
  if (category === 'public') return true;
  if (category === 'private' || category === 'loopback') return allowPrivate;
  return false;
}

export function checkTargetUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`"${raw}" is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('Webhook targets must be http or https URLs.');
  if (url.username || url.password) throw invalid('Webhook target URLs must not carry credentials; verify deliveries with the signature instead.');
  const category = literalCategory(url.hostname);
  if (category && !allowedCategory(category, allowPrivate)) {
    throw invalid(`Webhook targets may not point at ${category} addresses${category === 'private' || category === 'loopback' ? ' (the server does not allow private targets)' : ''}.`);
  }
  return url;
}

function invalid(message: string): Problem {
  return new Problem('TRIGGER_TARGET_INVALID', message, { errors: [{ path: '/body/target/url', message, rule: 'target' }] });
}

export class TargetRefusedError extends Error {
  override name = 'TargetRefusedError';
}

/**
 * An HTTP agent for deliveries whose DNS lookup refuses addresses the policy forbids, so the
 * address checked is the address connected to. Keep-alive connections are pooled per origin.
 */
export function deliveryAgent(allowPrivate: boolean, connections = 64): Agent {
  const guardedLookup = (hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const refused = list.find((a) => !allowedCategory(classifyAddress(a.address) ?? 'reserved', allowPrivate));
      if (refused) return callback(new TargetRefusedError(`${hostname} resolves to ${refused.address}, an address deliveries may not reach`), []);
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
  return new Agent({ connections, keepAliveTimeout: 30_000, connect: { lookup: guardedLookup as never } });
}
