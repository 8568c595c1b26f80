/**
 * Pre-authenticated URLs (download URLs, upload URLs): SharePoint signs them with a `tempauth`
 * token instead of asking for a bearer token. Here the token is an HMAC over what it grants and
 * until when, with a key that lives only as long as the emulator, so nothing has to be stored
 * per handed-out URL and a URL from an earlier run never works.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class TempAuth {
  private readonly key = randomBytes(32);

  sign(claims: Record<string, string | number>): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The claims when the signature holds and `exp` (epoch ms) is still ahead; otherwise undefined. */
  verify(token: string, now: number): Record<string, string | number> | undefined {
    const [payload, mac] = token.split('.');
    if (!payload || !mac) return undefined;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, string | number>;
      return typeof claims.exp === 'number' && claims.exp > now ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
