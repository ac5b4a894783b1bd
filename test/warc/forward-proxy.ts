import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal HTTP forward proxy on loopback: takes absolute-form requests (`GET http://host/path`)
 * and sends them in origin form, with their Host header, to one upstream. The synthetic web picks
 * the site from the Host header but routes on the path, so a client configured with this proxy
 * (wget `-e http_proxy=…`) reaches every `*.test` site under its real URL.
 */
export async function startForwardProxy(upstreamHost: string, upstreamPort: number): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://invalid');
    const up = request({ host: upstreamHost, port: upstreamPort, method: req.method, path: `${target.pathname}${target.search}`, headers: { ...req.headers, host: target.host } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.rawHeaders);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
