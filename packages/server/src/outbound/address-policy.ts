import { isIP } from 'node:net';

/**
 * Where an IP address leads, for the outbound SSRF rules. A vendor call may reach `public`
 * addresses; `loopback` and `private` ones only when the connection's own base URL is internal
 * (tests, on-premises servers); `link-local` (cloud metadata at 169.254.169.254) and `reserved`
 * (0.0.0.0 reaches this machine on Linux, multicast, documentation ranges) never.
 */
export type AddressCategory = 'public' | 'private' | 'loopback' | 'link-local' | 'reserved';

/** Ranges from the IANA IPv4 special-purpose registry (RFC 6890 and successors). */
const IPV4_RANGES: Array<[string, number, AddressCategory]> = [
  ['0.0.0.0', 8, 'reserved'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'private'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'reserved'],
  ['240.0.0.0', 4, 'reserved'],
];

function ipv4ToInt(address: string): number {
  const parts = address.split('.').map(Number);
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

const IPV4_TABLE = IPV4_RANGES.map(([base, bits, category]) => {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return { network: (ipv4ToInt(base) & mask) >>> 0, mask, category };
});

function classifyIpv4(address: string): AddressCategory {
  const n = ipv4ToInt(address);
  for (const range of IPV4_TABLE) if (((n & range.mask) >>> 0) === range.network) return range.category;
  return 'public';
}

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail resolved). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = ipv4ToInt(tail[1]!);
    text = `${text.slice(0, tail.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const missing = rest === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g, 16));
}

function embeddedIpv4(groups: number[], from: number): string {
  const hi = groups[from]!;
  const lo = groups[from + 1]!;
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

function classifyIpv6(address: string): AddressCategory {
  const g = ipv6Groups(address);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'reserved';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d)
  // addresses reach the IPv4 address they carry, so they are judged as that address.
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyIpv4(embeddedIpv4(g, 6));
  if (zeroUpTo(6)) return classifyIpv4(embeddedIpv4(g, 6));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyIpv4(embeddedIpv4(g, 6));
  // 6to4 (2002::/16) carries the IPv4 address in its second and third groups.
  if (g[0] === 0x2002) return classifyIpv4(embeddedIpv4(g, 1));
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xff00) === 0xff00) return 'reserved';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'reserved';
  return 'public';
}

/** The category of an IP address (v4 or v6, brackets allowed); undefined when it is not an IP address. */
export function classifyAddress(address: string): AddressCategory | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  const version = isIP(bare.split('%')[0]!);
  if (version === 4) return classifyIpv4(bare);
  if (version === 6) return classifyIpv6(bare);
  return undefined;
}

/** `localhost` and its subdomains are loopback by definition (RFC 6761), whatever DNS says. */
export function isLocalhostName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

/**
 * The category a URL's host has without asking DNS: IP literals and localhost names. A DNS
 * name answers undefined; its addresses are checked when the connection to it is made.
 */
export function literalCategory(hostname: string): AddressCategory | undefined {
  if (isLocalhostName(hostname)) return 'loopback';
  return classifyAddress(hostname);
}

/**
 * Whether an address of this category may be contacted. `internal` is true when the
 * connection's base URL itself is internal: then its vendor lives on a private network and
 * private and loopback addresses are where it is.
 */
export function isAllowedCategory(category: AddressCategory, internal: boolean): boolean {
  if (category === 'public') return true;
  if (category === 'loopback' || category === 'private') return internal;
  return false;
}

/**
 * Host patterns an operator declared as internal (SWITCHBOARD_PRIVATE_HOSTS): exact names, or
 * `*.corp.example` for every subdomain. Such names may resolve to private addresses.
 */
export class PrivateHosts {
  private readonly exact = new Set<string>();
  private readonly suffixes: string[] = [];

  constructor(patterns: string[] = []) {
    for (const raw of patterns) {
      const p = raw.trim().toLowerCase().replace(/\.$/, '');
      if (!p) continue;
      if (p.startsWith('*.')) this.suffixes.push(p.slice(1));
      else this.exact.add(p);
    }
  }

  static parse(text: string | undefined): PrivateHosts {
    return new PrivateHosts((text ?? '').split(','));
  }

  includes(hostname: string): boolean {
    const h = hostname.toLowerCase().replace(/\.$/, '');
    return this.exact.has(h) || this.suffixes.some((s) => h.endsWith(s));
  }
}

/**
 * Whether a base URL designates an internal vendor: its host is written as a loopback or
 * private address (or localhost), or the operator listed it. A public-looking name that merely
 * resolves to a private address does not count: that is exactly the DNS trick SSRF relies on.
 */
export function isInternalBase(baseUrl: URL, privateHosts: PrivateHosts): boolean {
  const category = literalCategory(baseUrl.hostname);
  if (category === 'loopback' || category === 'private') return true;
  return privateHosts.includes(baseUrl.hostname);
}
