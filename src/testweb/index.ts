import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { JarvixError } from '../errors/index.js';
import { describeUrl, type UrlTruth } from './describe.js';
import type { WebModel } from './model.js';
import { resolveTestWebOptions, type ResolvedTestWebOptions, type TestWebInput } from './options.js';
import type { ServerRecord } from './record.js';
import { TestWebHandler } from './server.js';

export { FAULT_KINDS, ROBOTS_VARIANTS, TRANSIENT_FAULTS, defaultTestWebOptions, resolveTestWebOptions } from './options.js';
export type { FaultKind, FaultRates, LatencyOptions, ResolvedTestWebOptions, RobotsVariant, TestWebInput, TestWebOptions } from './options.js';
export { describeUrl, robotsAllowsUrl, TestWebUrlError } from './describe.js';
export type { UrlKind, UrlTruth } from './describe.js';
export type { HostPlan, OutLink, PageKind, PagePlan } from './model.js';
export type { HostRecord, HostSummary, RecordSummary, RequestRecord } from './record.js';
export { BLOCKED_AGENT } from './robots.js';

export class TestWebListenError extends JarvixError {
  readonly host: string;
  readonly port: number;
  constructor(host: string, port: number, cause: unknown) {
    super('JVX_ERR_TESTWEB_LISTEN', `cannot serve the synthetic web on ${host}:${port}: ${(cause as Error)?.message ?? cause}`, { cause });
    this.host = host;
    this.port = port;
  }
}

/** A running synthetic web: its address, ground truth and the record of what it served. */
export interface TestWeb {
  readonly options: ResolvedTestWebOptions;
  readonly model: WebModel;
  readonly record: ServerRecord;
  /** Loopback address the server listens on. */
  readonly address: string;
  readonly port: number;
  /** `--resolve` value sending every synthetic host here: `*.test:127.0.0.1:PORT`. */
  readonly resolveRule: string;
  /** `http://site-NNNN.test/` or `/p/N` of a host and page index. */
  url(hostIndex: number, pageIndex?: number): string;
  /** The first `count` URLs of `seedUrlStream`: every host in turn, home pages first. */
  seedUrls(count: number): string[];
  /** Ground truth of a URL, computed without serving it. */
  describe(url: string): UrlTruth;
  /** Forget what was served so far (and spent transient faults). */
  resetRecord(): void;
  close(): Promise<void>;
}

export async function startTestWeb(options?: TestWebInput): Promise<TestWeb> {
  const opts = resolveTestWebOptions(options);
  const handler = new TestWebHandler(opts);
  const sockets = new Set<Socket>();
  const server: Server = createServer({ keepAliveTimeout: 30_000, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => handler.handle(req, res));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    handler.onConnection(socket);
  });
  // A client that resets mid-request must not take the server down.
  server.on('clientError', (_err, socket: Socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new TestWebListenError(opts.host, opts.port, err)));
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const model = handler.model;
  const address = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    options: opts,
    model,
    record: handler.record,
    address: opts.host,
    port,
    resolveRule: `*.test:${address}:${port}`,
    url: (hostIndex, pageIndex = 0) => `${model.host(hostIndex).origin}${model.pagePath(pageIndex)}`,
    seedUrls: (count) => [...seedUrlStream(model, count)],
    describe: (url) => describeUrl(model, url),
    resetRecord: () => handler.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging and keep-alive connections would hold close() open forever.
        for (const s of sockets) s.destroy();
      }),
  };
}

/**
 * Seed URLs, streamed: host by host in turn (a list touches every host evenly, as real seed lists
 * of many sites do), each host's pages in order from its home page, so the popular low indices
 * of the link graph come first. Unique by construction, so memory stays flat for any count.
 */
export function* seedUrlStream(model: WebModel, count: number): Generator<string> {
  const { hosts, pagesPerHost } = model.opts;
  const n = Math.min(count, hosts * pagesPerHost);
  for (let i = 0; i < n; i++) yield `${model.host(i % hosts).origin}${model.pagePath(Math.floor(i / hosts))}`;
}
