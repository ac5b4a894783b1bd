import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServeContext } from './context.js';
import { resolveServeOptions, type ServeOptions } from './options.js';
import { errorStatus, sendError } from './respond.js';
import { Router } from './router.js';
import { register as cdx } from './routes/cdx.js';
import { register as diff } from './routes/diff.js';
import { register as home } from './routes/home.js';
import { register as replay } from './routes/replay.js';
import { register as timeline } from './routes/timeline.js';
import { register as wacz } from './routes/wacz.js';
import { register as search } from './routes/search.js';
import { register as graph } from './routes/graph.js';
import { register as ui } from './ui/routes.js';

/** A route module: registers its paths on the router. New features (search, graph, UI) add one. */
export type RouteModule = (router: Router, sc: ServeContext) => void;

// `ui` before `home`: both answer `/`, and the first registered wins (the UI's runs list).
export const DEFAULT_ROUTES: readonly RouteModule[] = [ui, home, replay, cdx, timeline, diff, wacz, search, graph];

export interface RunningServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Starts the archive server: one node:http server, each request routed by prefix. A failing
 * request gets its status and coded message; nothing a request does stops the server.
 */
export async function startServer(sc: ServeContext, options: Partial<ServeOptions> = {}, routes: readonly RouteModule[] = DEFAULT_ROUTES): Promise<RunningServer> {
  const o = resolveServeOptions(options);
  const router = new Router();
  for (const r of routes) r(router, sc);
  const server = createServer((req, res) => {
    router.handle(req, res).catch((err: unknown) => {
      if (errorStatus(err).status >= 500) process.emitWarning(`jarvix serve: ${req.url}: ${(err as Error).message}`);
      sendError(res, err, (req.url ?? '').startsWith('/web/'));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
