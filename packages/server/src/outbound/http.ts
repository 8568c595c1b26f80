import type { HostMap } from './host-map.ts';

/**
 * The one door out of the service for authentication traffic (token endpoints, identity
 * calls): applies the host map and a timeout. Activity traffic gets its own, stricter door.
 */
export class Outbound {
  constructor(
    readonly hostMap: HostMap,
    private readonly timeoutMs = 30_000,
  ) {}

  fetch = (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    const target = this.hostMap.rewrite(url);
    return fetch(target, { redirect: 'manual', ...init, signal: init.signal ?? AbortSignal.timeout(this.timeoutMs) });
  };

  /**
   * Plain http is allowed only where no credential can leave the machine: loopback hosts
   * and hosts redirected to a local emulator. Everything else must be https (RFC 9700).
   */
  allowsInsecure(url: string | URL): boolean {
    const u = new URL(url);
    if (this.hostMap.isMapped(u)) return true;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  }
}
