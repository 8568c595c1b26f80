import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';

/**
 * A reverse proxy in front of an authorization server that can hold refresh-token requests:
 * the request reaches the proxy (so the client is mid-refresh) and is forwarded upstream only
 * when the test releases it. Lets a test kill a process at exactly that moment.
 */
export class StallingProxy {
  private server!: Server;
  private stalling = false;
  private readonly held: Array<() => void> = [];
  private readonly waiters: Array<() => void> = [];
  origin = '';
  refreshRequests = 0;

  constructor(private readonly upstream: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.origin = `http://127.0.0.1:${address.port}`;
  }

  stallRefreshes(on: boolean): void {
    this.stalling = on;
  }

  /** Resolves once a refresh request is being held. */
  whenHolding(): Promise<void> {
    if (this.held.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Forwards every held request upstream (their callers may be gone). */
  release(): void {
    for (const go of this.held.splice(0)) go();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (req.method === 'POST' && body.toString().includes('grant_type=refresh_token')) {
      this.refreshRequests++;
      if (this.stalling) {
        await new Promise<void>((resolve) => {
          this.held.push(resolve);
          for (const w of this.waiters.splice(0)) w();
        });
      }
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    try {
      const upstream = await fetch(this.upstream + req.url, { method: req.method, headers, ...(body.length ? { body } : {}) });
      const out = Buffer.from(await upstream.arrayBuffer());
      if (res.destroyed) return;
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(out);
    } catch {
      if (!res.destroyed) res.destroy();
    }
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
