import { type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the vendor received it: what a credential-leak test asserts on. */
export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Handler = (req: Received, res: ServerResponse, n: number) => void | Promise<void>;

/**
 * A vendor whose answers each test scripts: `on(path, handler)`. Counts requests per path and
 * the most it ever had in flight at once (for concurrency caps), and keeps every request it
 * received. Listens on 127.0.0.1, or on `host` ('::' for both IPv4 and IPv6 loopback).
 */
export class ScriptedVendor {
  readonly received: Received[] = [];
  inFlight = 0;
  maxInFlight = 0;
  origin = '';
  port = 0;
  private readonly handlers = new Map<string, Handler>();
  private readonly counts = new Map<string, number>();
  private server: Server | undefined;

  on(path: string, handler: Handler): this {
    this.handlers.set(path, handler);
    this.counts.set(path, 0);
    return this;
  }

  /** Requests received on a path (any method). */
  count(path: string): number {
    return this.received.filter((r) => r.path === path).length;
  }

  reset(): void {
    this.received.length = 0;
    this.maxInFlight = 0;
    this.counts.clear();
  }

  async start(host = '127.0.0.1'): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.origin = `http://127.0.0.1:${this.port}`;
    return this;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://vendor.invalid');
    const received: Received = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
    this.received.push(received);
    const handler = this.handlers.get(url.pathname);
    const n = (this.counts.get(url.pathname) ?? 0) + 1;
    this.counts.set(url.pathname, n);
    try {
      if (handler) await handler(received, res, n);
      else json(res, 404, { error: { code: 'NotFound', message: `No route ${url.pathname}` } });
    } catch (error) {
      if (!res.headersSent) json(res, 500, { message: String(error) });
    }
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
