import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createAgent, parseResolveRule, type JarvixAgent } from '../../src/net/index.js';

export interface TestServer {
  port: number;
  /** Requests seen, raw head text per request (for raw servers) or method+url (for http servers). */
  seen: string[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A real node:http server on 127.0.0.1, port 0. */
export async function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const seen: string[] = [];
  let connections = 0;
  const server = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A raw TCP server for misbehaviour node:http will not produce: it reads the request head and hands
 * the socket to `onRequest` with the head text and the request path.
 */
export async function rawServer(onRequest: (socket: Socket, head: string, path: string) => void): Promise<TestServer> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createNetServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.slice(0, end + 4);
      buf = buf.slice(end + 4);
      seen.push(head);
      const path = head.split(' ')[1] ?? '/';
      onRequest(socket, head, path);
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An agent that sends every `*.test` host to the server, and lets loopback through. */
export function testAgent(port: number, connectTimeoutMs = 2_000): JarvixAgent {
  return createAgent({ allowPrivate: true, resolve: [parseResolveRule(`*.test:127.0.0.1:${port}`)], connectTimeoutMs });
}

export const baseFetchOptions = {
  userAgent: 'jarvix-test/1.0 (+https://example.invalid/bot)',
  headersTimeoutMs: 2_000,
  bodyTimeoutMs: 2_000,
  totalTimeoutMs: 5_000,
  maxBodyBytes: 1024 * 1024,
};
