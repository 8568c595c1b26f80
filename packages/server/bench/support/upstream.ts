// The upstream "vendor" of the HTTP Request benchmark, in its own process: a keep-alive HTTP
// server on 127.0.0.1 answering every request with the same small JSON document. Tells its
// parent the port over IPC.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({ id: 42, name: 'widget', price: 9.5, tags: ['a', 'b', 'c'], active: true, updatedAt: '2026-01-01T00:00:00Z' });
const length = String(Buffer.byteLength(body));
const server = createServer((req, res) => {
  // Drain the request (there is none for GET), then answer.
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
