import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { BodyCache } from './body-cache.js';
import { chooseCoding, encode, etagFor, gzipBomb, notModified, type ContentCoding } from './encoding.js';
import type { FaultKind, ResolvedTestWebOptions } from './options.js';
import { staticAsset } from './requisites.js';
import { WebModel, type PagePlan } from './model.js';
import { ServerRecord, type RequestRecord } from './record.js';
import { Renderer } from './render.js';
import { robotsText } from './robots.js';

/** One request in flight: where it is recorded and how many body bytes went out. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly host: string;
  readonly entry: RequestRecord;
  bytes: number;
}

const SOCKET_HOST = Symbol('testweb.host');
const SOCKET_ID = Symbol('testweb.id');
type TrackedSocket = Socket & { [SOCKET_HOST]?: string; [SOCKET_ID]?: number };

/**
 * The request handler of the synthetic web: virtual hosts by Host header, per-host latency,
 * planned faults, compression per Accept-Encoding, conditional requests, and a record of
 * everything served. Pure functions of the options decide what each URL is (model.ts).
 */
export class TestWebHandler {
  readonly model: WebModel;
  readonly record: ServerRecord;
  readonly #opts: ResolvedTestWebOptions;
  readonly #renderer: Renderer;
  readonly #cache: BodyCache;
  /** Requests seen per URL with a transient fault (only those: bounded by the faulted URLs asked for). */
  readonly #transientSeen = new Map<string, number>();
  #connections = 0;

  constructor(opts: ResolvedTestWebOptions) {
    this.#opts = opts;
    this.model = new WebModel(opts);
    this.#renderer = new Renderer(this.model);
    this.record = new ServerRecord(opts.maxRecordedRequests);
    this.#cache = new BodyCache(opts.cacheBytes);
  }

  /** Forget what was served (including spent transient faults), e.g. between test cases. */
  reset(): void {
    this.record.reset();
    this.#transientSeen.clear();
  }

  onConnection(socket: TrackedSocket): void {
    socket[SOCKET_ID] = ++this.#connections;
    this.record.connectionOpened();
    socket.once('close', () => {
      this.record.connectionClosed();
      const host = socket[SOCKET_HOST];
      if (host !== undefined) this.record.hostConnectionClosed(host);
    });
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const hostHeader = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    const hostIndex = this.model.hostIndex(hostHeader);
    const host = hostIndex === undefined ? hostHeader || '(no host)' : this.model.hostName(hostIndex);
    const socket = req.socket as TrackedSocket;
    if (socket[SOCKET_HOST] !== host) {
      if (socket[SOCKET_HOST] !== undefined) this.record.hostConnectionClosed(socket[SOCKET_HOST]);
      socket[SOCKET_HOST] = host;
      this.record.hostConnectionOpened(host);
    }
    const ex: Exchange = { req, res, host, entry: this.record.requestStarted(host, req.method ?? 'GET', req.url ?? '/', socket[SOCKET_ID] ?? 0), bytes: 0 };
    const done = (): void => this.record.requestEnded(host, ex.entry, res.headersSent ? res.statusCode : 0, ex.bytes);
    res.once('finish', done);
    res.once('close', done);
    res.setHeader('Server', 'jarvix-testweb');
    this.#route(ex, hostIndex).catch(() => {
      if (!res.headersSent && !res.destroyed) this.#text(ex, 500, 'internal error\n');
      else res.destroy();
    });
  }

  async #route(ex: Exchange, hostIndex: number | undefined): Promise<void> {
    const { req } = ex;
    if (hostIndex === undefined) return this.#text(ex, 404, `unknown host ${JSON.stringify(ex.host)}: this synthetic web serves site-0000.test to ${this.model.hostName(this.#opts.hosts - 1)}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      ex.res.setHeader('Allow', 'GET, HEAD');
      return this.#text(ex, 405, 'method not allowed\n');
    }
    const path = req.url ?? '/';
    const asset = this.#opts.requisites ? staticAsset(path) : undefined;
    if (asset) return this.#send(ex, 200, asset.contentType, asset.body);
    const route = this.model.route(path);
    const latency = this.model.latencyMs(hostIndex, route.type === 'page' ? this.model.pagePath(route.pageIndex) : path);
    if (latency > 0) {
      await sleep(latency);
      if (ex.res.destroyed) return;
    }
    const at = (p: string): string => `http://${ex.host}${p}`;
    switch (route.type) {
      case 'robots': {
        const truth = this.model.host(hostIndex).robots;
        if (truth.status === null) return; // timeout variant: never answer
        return this.#send(ex, truth.status, 'text/plain; charset=utf-8', Buffer.from(robotsText(truth, at(''))));
      }
      case 'sitemap':
        return this.#send(ex, 200, 'application/xml; charset=utf-8', Buffer.from(this.#renderer.sitemap(hostIndex, route.part)));
      case 'notFound':
        return this.#text(ex, 404, 'not found\n', 'text/html; charset=utf-8');
      case 'chain': {
        const length = this.model.chainLength(hostIndex, route.pageIndex);
        if (this.model.fault(hostIndex, route.pageIndex) !== 'redirectChain' || route.hop >= length) return this.#text(ex, 404, 'not found\n');
        const next = route.hop + 1 < length ? `/r/${route.pageIndex}/${route.hop + 1}` : `/p/${route.pageIndex}/moved`;
        return this.#redirect(ex, 302, next);
      }
      case 'loop': {
        if (this.model.fault(hostIndex, route.pageIndex) !== 'redirectLoop' || route.hop > 2) return this.#text(ex, 404, 'not found\n');
        return this.#redirect(ex, 302, route.hop === 1 ? `/loop/${route.pageIndex}/2` : `/p/${route.pageIndex}`);
      }
      case 'moved':
        if (this.model.fault(hostIndex, route.pageIndex) !== 'redirectChain') return this.#text(ex, 404, 'not found\n');
        return this.#page(ex, this.model.page(hostIndex, route.pageIndex), null);
      case 'page':
        return this.#page(ex, this.model.page(hostIndex, route.pageIndex), this.#activeFault(hostIndex, route.pageIndex));
    }
  }

  /** The fault this request gets: transient faults hit only the first N requests of a URL. */
  #activeFault(hostIndex: number, pageIndex: number): FaultKind | null {
    const fault = this.model.fault(hostIndex, pageIndex);
    if (!this.model.isTransient(fault)) return fault;
    const key = `${hostIndex}|${pageIndex}`;
    const seen = (this.#transientSeen.get(key) ?? 0) + 1;
    this.#transientSeen.set(key, seen);
    return seen <= this.#opts.transientFaultCount ? fault : null;
  }

  async #page(ex: Exchange, plan: PagePlan, fault: FaultKind | null): Promise<void> {
    const { res, req } = ex;
    switch (fault) {
      case 'http500':
        return this.#text(ex, 500, 'Internal Server Error\n', 'text/html; charset=utf-8');
      case 'http429':
      case 'http503':
        res.setHeader('Retry-After', String(this.#opts.retryAfterSeconds));
        return this.#text(ex, fault === 'http429' ? 429 : 503, fault === 'http429' ? 'Too Many Requests\n' : 'Service Unavailable\n', 'text/html; charset=utf-8');
      case 'hang':
        return; // headers never come; the client's timeout must end it
      case 'reset':
        return this.#reset(ex, plan);
      case 'redirectChain':
        return this.#redirect(ex, 301, `/r/${plan.pageIndex}/1`);
      case 'redirectLoop':
        return this.#redirect(ex, 302, `/loop/${plan.pageIndex}/1`);
      case 'hugeBody':
        return this.#huge(ex);
      case 'gzipBomb': {
        const bomb = await gzipBomb(this.#opts.gzipBombBytes);
        res.setHeader('Content-Encoding', 'gzip');
        return this.#send(ex, 200, 'text/html; charset=utf-8', bomb);
      }
      default:
        break;
    }
    const rendered = this.#renderer.page(plan, fault);
    const etag = etagFor(this.#opts.seed, plan.bodySeed);
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', new Date(plan.lastModifiedMs).toUTCString());
    res.setHeader('Cache-Control', 'max-age=3600');
    if (notModified(req.headers, etag, plan.lastModifiedMs)) {
      res.writeHead(304);
      res.end();
      return;
    }
    if (fault === 'slowDrip') return this.#drip(ex, rendered.contentType, rendered.body);
    if (fault === 'wrongContentLength') return this.#shortBody(ex, rendered.contentType, rendered.body);
    const coding: ContentCoding = rendered.compressible ? chooseCoding(req.headers['accept-encoding']) : 'identity';
    if (rendered.compressible) res.setHeader('Vary', 'Accept-Encoding');
    if (coding !== 'identity') res.setHeader('Content-Encoding', coding);
    const key = `${plan.url}|${fault ?? ''}|${coding}`;
    let body = this.#cache.get(key);
    if (!body) {
      body = encode(rendered.body, coding);
      this.#cache.set(key, body);
    }
    return this.#send(ex, 200, rendered.contentType, body);
  }

  #send(ex: Exchange, status: number, contentType: string, body: Buffer): void {
    const { res } = ex;
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(body.length) });
    if (ex.req.method !== 'HEAD') ex.bytes += body.length;
    res.end(body);
  }

  #text(ex: Exchange, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
    this.#send(ex, status, contentType, Buffer.from(text));
  }

  #redirect(ex: Exchange, status: number, location: string): void {
    ex.res.setHeader('Location', location);
    this.#text(ex, status, `moved to ${location}\n`, 'text/html; charset=utf-8');
  }

  /** Half the resets come before any byte of the answer, half in the middle of the body. */
  #reset(ex: Exchange, plan: PagePlan): void {
    const { res } = ex;
    if (plan.bodySeed % 2 === 0) {
      res.socket?.resetAndDestroy();
      return;
    }
    const body = this.#renderer.page(plan, null).body;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length) });
    const half = body.subarray(0, body.length >> 1);
    ex.bytes += half.length;
    res.write(half, () => res.socket?.resetAndDestroy());
  }

  /** Declares more bytes than it sends, then closes the connection. */
  #shortBody(ex: Exchange, contentType: string, body: Buffer): void {
    const { res } = ex;
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(body.length + 4096) });
    if (ex.req.method === 'HEAD') {
      res.end();
      return;
    }
    ex.bytes += body.length;
    res.write(body, () => res.socket?.destroy());
  }

  /** The page, 1 KiB at a time, `slowDripChunkDelayMs` apart: a body timeout has to end it. */
  async #drip(ex: Exchange, contentType: string, body: Buffer): Promise<void> {
    const { res } = ex;
    res.writeHead(200, { 'Content-Type': contentType });
    if (ex.req.method === 'HEAD') return void res.end();
    for (let at = 0; at < body.length; at += 1024) {
      if (res.destroyed) return;
      const chunk = body.subarray(at, at + 1024);
      ex.bytes += chunk.length;
      res.write(chunk);
      await sleep(this.#opts.slowDripChunkDelayMs);
    }
    res.end();
  }

  /** `hugeBodyBytes` of HTML filler, streamed with back-pressure so the server's memory stays flat. */
  async #huge(ex: Exchange): Promise<void> {
    const { res } = ex;
    const total = this.#opts.hugeBodyBytes;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(total) });
    if (ex.req.method === 'HEAD') return void res.end();
    const filler = Buffer.from('<p>' + 'all work and no play makes a huge page '.repeat(1638) + '</p>\n');
    let left = total;
    while (left > 0 && !res.destroyed) {
      const chunk = left >= filler.length ? filler : filler.subarray(0, left);
      left -= chunk.length;
      ex.bytes += chunk.length;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const go = (): void => {
            res.off('drain', go);
            res.off('close', go);
            resolve();
          };
          res.once('drain', go);
          res.once('close', go);
        });
      }
    }
    if (!res.destroyed) res.end();
  }
}
