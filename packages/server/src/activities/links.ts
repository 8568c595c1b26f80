import type { HostMap } from '../outbound/host-map.ts';

/**
 * The next-page URL of an RFC 8288 Link header: the target of the first link whose rel
 * includes "next", resolved against the URL of the response it came with.
 */
export function nextLinkFromHeader(header: string | undefined, base: URL): URL | undefined {
  if (!header) return undefined;
  // Links are comma-separated, but commas may appear inside <...> and quoted strings: scan.
  for (const link of splitOutsideQuotes(header, ',')) {
    const target = /^\s*<([^>]*)>/.exec(link);
    if (!target) continue;
    const params = splitOutsideQuotes(link.slice(target[0].length), ';');
    for (const param of params) {
      const m = /^\s*rel\s*=\s*(?:"([^"]*)"|([^\s";]+))\s*$/i.exec(param);
      const rels = (m?.[1] ?? m?.[2] ?? '').toLowerCase().split(/\s+/);
      if (rels.includes('next')) {
        try {
          return new URL(target[1]!, base);
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let bracketed = false;
  for (const ch of text) {
    if (ch === '"' && !bracketed) quoted = !quoted;
    else if (ch === '<' && !quoted) bracketed = true;
    else if (ch === '>' && !quoted) bracketed = false;
    if (ch === separator && !quoted && !bracketed) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * Whether a URL the vendor handed out (a next link) is on the connection's base URL origin,
 * written on that origin (what the vendor client attaches credentials to), or undefined for
 * anywhere else. Through a host map, an emulator that writes links with its own local origin
 * means the vendor host it stands for, so such a URL is put back on the vendor host; a URL on
 * another mapped vendor host is another origin, as it would be for real.
 */
export function onBaseOrigin(url: URL, baseUrl: string, hostMap: HostMap): URL | undefined {
  const base = new URL(baseUrl);
  if (url.origin === base.origin) return url;
  if (hostMap.isMapped(url) || !hostMap.isMapped(base) || url.origin !== hostMap.rewrite(base).origin) return undefined;
  return new URL(url.pathname + url.search, base.origin);
}
