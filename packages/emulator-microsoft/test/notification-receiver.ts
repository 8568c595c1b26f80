/**
 * A tiny webhook receiver for subscription tests: answers Graph's validation request by echoing
 * the decoded validationToken (unless told otherwise), accepts notifications with 202, and
 * records every request so tests can wait for and inspect them.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  query: URLSearchParams;
  /** The raw query string as sent (to check how the token was encoded). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: string;
  // Test code reads arbitrary JSON fields.
  json?: any;
}

export interface Reply {
  status: number;
  body?: string;
  /** Answer only after this long (to provoke timeouts). */
  delayMs?: number;
}

/** The default behaviour: echo validation tokens, accept notifications. */
export function standardReply(r: Received): Reply {
  const token = r.query.get('validationToken');
  return token !== null ? { status: 200, body: token } : { status: 202 };
}

export async function startReceiver(respond: (r: Received) => Reply = standardReply) {
  const requests: Received[] = [];
  const waiters: { check: () => boolean; resolve: () => void }[] = [];
  const state = { respond };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const r: Received = { path: q === -1 ? url : url.slice(0, q), rawQuery: q === -1 ? '' : url.slice(q + 1), query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)), headers: req.headers, body, json };
      requests.push(r);
      for (const w of [...waiters]) if (w.check()) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const reply = state.respond(r);
      const send = () => {
        res.statusCode = reply.status;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end(reply.body ?? '');
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const notifications = () => requests.filter((r) => !r.query.has('validationToken'));
  return {
    url: (path = '/notify') => `${base}${path}`,
    requests,
    notifications,
    /** Every change notification received so far (the `value` items of all POSTs). */
    items: (): any[] => notifications().flatMap((r) => r.json?.value ?? []),
    setReply(next: (r: Received) => Reply) {
      state.respond = next;
    },
    /** Resolves once `count` requests matching `filter` have arrived. */
    waitFor(count: number, filter: (r: Received) => boolean = (r) => !r.query.has('validationToken'), timeoutMs = 5000): Promise<Received[]> {
      const matching = () => requests.filter(filter);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} requests, got ${matching().length}`)), timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve(matching());
        };
        if (matching().length >= count) return done();
        waiters.push({ check: () => matching().length >= count, resolve: done });
      });
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
