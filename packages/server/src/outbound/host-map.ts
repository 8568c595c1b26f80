/**
 * SWITCHBOARD_HOST_MAP redirects a vendor's hosts to local origins, for tests and offline
 * development against emulators: `login.microsoftonline.com=http://127.0.0.1:4100,...`.
 * Every outbound request and every authorisation URL handed to a browser goes through it.
 * Off unless configured, and announced in the log at start so it is never on by surprise.
 */
export class HostMap {
  private readonly entries: Map<string, URL>;

  constructor(entries: Record<string, string> = {}) {
    this.entries = new Map(Object.entries(entries).map(([host, origin]) => [host.toLowerCase(), new URL(origin)]));
  }

  static parse(text: string | undefined): HostMap {
    const entries: Record<string, string> = {};
    for (const part of (text ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
      const eq = part.indexOf('=');
      const host = part.slice(0, eq).trim();
      const origin = part.slice(eq + 1).trim();
      if (eq <= 0 || !/^[a-z0-9.-]+(:\d+)?$/i.test(host)) throw new Error(`SWITCHBOARD_HOST_MAP entry "${part}" must look like host=http://127.0.0.1:4100`);
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        throw new Error(`SWITCHBOARD_HOST_MAP entry "${part}": "${origin}" is not an absolute URL`);
      }
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search) {
        throw new Error(`SWITCHBOARD_HOST_MAP entry "${part}": the target must be a bare http(s) origin`);
      }
      entries[host] = url.origin;
    }
    return new HostMap(entries);
  }

  get size(): number {
    return this.entries.size;
  }

  describe(): Record<string, string> {
    return Object.fromEntries([...this.entries].map(([h, u]) => [h, u.origin]));
  }

  /** The URL to actually contact; unchanged when its host is not mapped. */
  rewrite(url: URL | string): URL {
    const u = new URL(url);
    const target = this.entries.get(u.host.toLowerCase()) ?? this.entries.get(u.hostname.toLowerCase());
    if (!target) return u;
    const out = new URL(u.pathname + u.search + u.hash, target);
    return out;
  }

  /**
   * A link a mapped vendor handed out (a next page, a delta link) names the local stand-in that
   * answered, not the vendor: on the stand-in of `vendorOrigin` it is restored to the vendor's
   * origin, so it is treated as the vendor's own URL (credentials, destination rules) and mapped
   * again on the way out. Other URLs are returned unchanged.
   */
  restore(url: URL, vendorOrigin: string | undefined): URL {
    if (vendorOrigin === undefined || this.entries.size === 0 || !this.isMapped(vendorOrigin)) return url;
    if (this.rewrite(vendorOrigin).origin !== url.origin) return url;
    return new URL(url.pathname + url.search + url.hash, vendorOrigin);
  }

  isMapped(url: URL | string): boolean {
    const u = new URL(url);
    return this.entries.has(u.host.toLowerCase()) || this.entries.has(u.hostname.toLowerCase());
  }
}
