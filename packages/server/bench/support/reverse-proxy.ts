import { Agent, type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The baseline of the HTTP Request benchmark: the least a credential-injecting proxy can do.
 * Forwards every request to the upstream on keep-alive connections with an Authorization
 * header added, and pipes the answer back. No auth of its own, no parsing, no logging.
 */
export async function startReverseProxy(upstreamPort: number, token: string): Promise<{ port: number; close(): Promise<void> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const headers = { ...req.headers, authorization: `Bearer ${token}`, host: `127.0.0.1:${upstreamPort}` };
    const upstream = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      res.statusCode = 502;
      res.end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}
