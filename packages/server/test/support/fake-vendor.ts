import { randomBytes, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small resource API ("the vendor") on 127.0.0.1 with one identity endpoint per way of
 * authenticating, each answering `{ login, id }` like GitHub's GET /user:
 *
 *   GET /api-key/me   an API key in the X-API-Key header or the api_key query parameter
 *   GET /basic/me     HTTP Basic
 *   GET /pat/me       a personal access token as `Authorization: token <pat>` or `Bearer <pat>`
 *   GET /oauth/me     a bearer access token, checked by introspection at the authorization server
 *
 * Bad or missing credentials get 401 with a JSON error body; anything else 404.
 */

export interface VendorRequest {
  path: string;
  /** How the credential arrived, e.g. header:x-api-key, query:api_key, basic, token, bearer; none when absent. */
  credential: string;
  status: number;
  /** The body of a 200 answer (never contains a credential). */
  answered?: { login: string; id: number | string };
}

export interface FakeVendor {
  baseUrl: string;
  apiKey: string;
  basic: { username: string; password: string };
  pat: string;
  requests: VendorRequest[];
  /** The last successful identity answer on `path`. */
  lastAnswer(path: string): { login: string; id: number | string };
  close(): Promise<void>;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export async function startFakeVendor(options: { introspect: (token: string) => Promise<Record<string, unknown>> }): Promise<FakeVendor> {
  const apiKey = `ak_${randomBytes(18).toString('hex')}`;
  const basic = { username: 'integration-bot', password: `pw-${randomBytes(12).toString('base64url')}` };
  const pat = `ghp_${randomBytes(18).toString('base64url')}`;
  const requests: VendorRequest[] = [];
  const accountIds = new Map<string, number>();
  const idOf = (login: string) => {
    if (!accountIds.has(login)) accountIds.set(login, 9000 + accountIds.size);
    return accountIds.get(login)!;
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://vendor');
    const authorization = req.headers.authorization ?? '';
    const [scheme = '', value = ''] = authorization.split(/\s+/, 2);
    const record: VendorRequest = { path: url.pathname, credential: 'none', status: 0 };
    requests.push(record);
    const ok = (login: string) => {
      record.status = 200;
      record.answered = { login, id: idOf(login) };
      send(res, 200, record.answered);
    };
    const refuse = (error = 'bad_credentials', message = 'Bad credentials') => {
      record.status = 401;
      res.setHeader('www-authenticate', 'Bearer realm="vendor"');
      send(res, 401, { error, message, documentation_url: 'https://vendor.example/docs/auth' });
    };
    if (req.method !== 'GET') {
      record.status = 405;
      return send(res, 405, { message: 'Method Not Allowed' });
    }

    switch (url.pathname) {
      case '/api-key/me': {
        const header = req.headers['x-api-key'];
        const query = url.searchParams.get('api_key');
        const given = typeof header === 'string' ? header : query;
        record.credential = typeof header === 'string' ? 'header:x-api-key' : query !== null ? 'query:api_key' : 'none';
        return given !== null && same(given, apiKey) ? ok('key-owner') : refuse();
      }
      case '/basic/me': {
        if (scheme.toLowerCase() !== 'basic') return refuse();
        record.credential = 'basic';
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const user = decoded.slice(0, colon);
        const pass = decoded.slice(colon + 1);
        return colon > 0 && same(user, basic.username) && same(pass, basic.password) ? ok(user) : refuse();
      }
      case '/pat/me': {
        if (!['token', 'bearer'].includes(scheme.toLowerCase())) return refuse();
        record.credential = scheme.toLowerCase();
        return same(value, pat) ? ok('octocat') : refuse();
      }
      case '/oauth/me': {
        if (scheme.toLowerCase() !== 'bearer' || !value) return refuse('invalid_token', 'A bearer access token is required');
        record.credential = 'bearer';
        const info = await options.introspect(value);
        if (info.active !== true) return refuse('invalid_token', 'The access token is expired or revoked');
        // A user's token acts as that user; an app-only token as the app.
        return ok(typeof info.sub === 'string' ? info.sub : `${String(info.client_id)}[bot]`);
      }
      default:
        record.status = 404;
        return send(res, 404, { message: 'Not Found' });
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: `vendor failure: ${(error as Error).message}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    apiKey,
    basic,
    pat,
    requests,
    lastAnswer(path) {
      const hit = requests.filter((r) => r.path === path && r.answered).pop();
      if (!hit?.answered) throw new Error(`the vendor never answered ${path}`);
      return hit.answered;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
