import { promises as dns } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent, type Dispatcher } from 'undici';
import { type AddressCategory, type PrivateHosts, classifyAddress, isAllowedCategory, isInternalBase, literalCategory } from './address-policy.ts';
import type { HostMap } from './host-map.ts';

/** Resolves a host name to its addresses; injectable so tests can make any name point anywhere. */
export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** Raised when a destination is refused; the vendor client turns it into DESTINATION_NOT_ALLOWED. */
export class DestinationRefused extends Error {
  override name = 'DestinationRefused';
  readonly code = 'ESWITCHBOARD_DESTINATION';
  constructor(
    readonly hostname: string,
    readonly category: AddressCategory,
    readonly address?: string,
  ) {
    super(`${hostname}${address && address !== hostname ? ` resolves to ${address}, which` : ''} is a ${category} address; Switchboard does not send vendor calls there`);
  }
}

/** Where one request goes: the URL the socket really connects to, and through which pool. */
export interface Destination {
  /** The URL to connect to: the logical URL, or its host-map replacement. */
  target: URL;
  dispatcher: Dispatcher;
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The connection pools of vendor calls, and the SSRF rule they enforce. A DNS name is resolved
 * inside the pool's connect step (undici's `connect.lookup`), and the socket connects to the
 * address that was checked: there is no window in which a DNS answer can change between the
 * check and the connect (DNS rebinding). Pooled keep-alive sockets were all checked when made.
 *
 * - `trusted`: hosts in SWITCHBOARD_HOST_MAP (the operator pointed them at an emulator).
 * - `internal`: for connections whose base URL is internal; refuses link-local and reserved.
 * - `external`: for every other connection; refuses anything that is not a public address.
 */
export class Destinations {
  private readonly trusted: Agent;
  private readonly internal: Agent;
  private readonly external: Agent;
  private readonly decisions = new Map<string, 'mapped' | 'internal' | 'external' | DestinationRefused>();

  constructor(
    private readonly hostMap: HostMap,
    private readonly privateHosts: PrivateHosts,
    resolve: Resolver = systemResolver,
  ) {
    const options = { keepAliveTimeout: 10_000, connections: 256, headersTimeout: 0, bodyTimeout: 0 };
    this.trusted = new Agent(options);
    this.internal = new Agent({ ...options, connect: { lookup: checkedLookup(resolve, true) } });
    this.external = new Agent({ ...options, connect: { lookup: checkedLookup(resolve, false) } });
  }

  /** Whether the base URL of a connection counts as internal (see address-policy.ts). */
  isInternal(baseUrl: URL): boolean {
    return isInternalBase(baseUrl, this.privateHosts);
  }

  /**
   * The destination of a logical URL for a connection whose base is `internal` or not.
   * Refuses at once (DestinationRefused) what is refused without DNS: IP literals and
   * localhost; DNS names are checked when the pool connects.
   */
  route(url: URL, internal: boolean): Destination {
    const key = `${internal ? 'i' : 'e'}|${url.host}`;
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      decision = this.decide(url, internal);
      // The decision depends on the host only; a busy service asks for the same few hosts.
      if (this.decisions.size >= 1000) this.decisions.clear();
      this.decisions.set(key, decision);
    }
    if (decision === 'mapped') return { target: this.hostMap.rewrite(url), dispatcher: this.trusted };
    if (decision instanceof DestinationRefused) throw new DestinationRefused(decision.hostname, decision.category);
    return { target: url, dispatcher: decision === 'internal' ? this.internal : this.external };
  }

  private decide(url: URL, internal: boolean): 'mapped' | 'internal' | 'external' | DestinationRefused {
    if (this.hostMap.isMapped(url)) return 'mapped';
    const literal = literalCategory(url.hostname);
    if (literal !== undefined && !isAllowedCategory(literal, internal)) return new DestinationRefused(url.hostname, literal);
    return internal || this.privateHosts.includes(url.hostname) ? 'internal' : 'external';
  }

  async close(): Promise<void> {
    await Promise.all([this.trusted.close(), this.internal.close(), this.external.close()]);
  }
}

/**
 * A `lookup` for net/tls.connect that resolves with `resolve`, refuses the whole name if any of
 * its addresses is refused (a name that mixes public and private answers is a rebinding setup),
 * and hands the connect step only checked addresses.
 */
function checkedLookup(resolve: Resolver, internal: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (found) => {
        const wanted = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found;
        if (wanted.length === 0) {
          const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
          callback(error, options.all ? [] : '', undefined);
          return;
        }
        for (const a of wanted) {
          const category = classifyAddress(a.address) ?? 'reserved';
          if (!isAllowedCategory(category, internal)) {
            callback(new DestinationRefused(hostname, category, a.address), options.all ? [] : '', undefined);
            return;
          }
        }
        if (options.all) callback(null, wanted.map((a) => ({ address: a.address, family: a.family })));
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (error: Error) => callback(error, options.all ? [] : '', undefined),
    );
  };
}
