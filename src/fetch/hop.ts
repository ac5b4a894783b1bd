import type { Dispatcher } from 'undici';
import { BodyCollector, emptyBody, type BodySource, type HttpExchange } from '../http/index.js';
import type { JarvixAgent } from '../net/index.js';
import { BodyCapReached, classifyTransportError, fetchError, TotalTimeout } from './fetch-errors.js';
import { expectRequestHead, reconstructRequestHead, type HeadSink } from './request-head.js';
import type { FetchError, Truncation } from './types.js';

/** One request/response on the wire: the smallest piece of the fetch path. */
export interface HopRequest {
  url: URL;
  method: 'GET' | 'HEAD';
  headers: readonly (readonly [string, string])[];
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Epoch ms at which the whole fetch must stop (total timeout). */
  deadline: number;
  maxBodyBytes: number;
  spillBytes: number;
  tmpDir: string | undefined;
}

/**
 * `answer`: a response head arrived, so there is an exchange to archive; `error` is set when the
 * body then failed (timeout, disconnect). `failed`: no response at all.
 */
export type HopOutcome =
  | { kind: 'answer'; exchange: HttpExchange; error: FetchError | null }
  | { kind: 'failed'; error: FetchError };

export type Hop = (req: HopRequest) => Promise<HopOutcome>;

export function createHop(agent: JarvixAgent): Hop {
  return (req) =>
    new Promise<HopOutcome>((resolve) => {
      const handler = new HopHandler(agent, req, resolve);
      try {
        agent.dispatcher.dispatch(handler.dispatchOptions(), handler);
      } catch (err) {
        handler.onResponseError(undefined, err as Error);
      }
    });
}

function rawPairs(raw: unknown): [string, string][] {
  const pairs: [string, string][] = [];
  if (!Array.isArray(raw)) return pairs;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i] as Buffer | string;
    const v = raw[i + 1] as Buffer | string;
    // latin1 maps bytes 1:1, so the head we rebuild is byte-identical to what was received.
    pairs.push([typeof k === 'string' ? k : k.toString('latin1'), typeof v === 'string' ? v : v.toString('latin1')]);
  }
  return pairs;
}

/**
 * An undici DispatchHandler (v7 controller API) that keeps what the archive needs: the request
 * head as sent, the raw response head as received, and the body streamed into a BodyCollector
 * under a byte cap, pausing the socket while a spilled chunk is written to disk.
 */
class HopHandler implements Dispatcher.DispatchHandler, HeadSink {
  readonly method: 'GET' | 'HEAD';
  readonly path: string;
  readonly #agent: JarvixAgent;
  readonly #req: HopRequest;
  readonly #resolve: (o: HopOutcome) => void;
  readonly #startedAt = Date.now();
  readonly #timer: NodeJS.Timeout;
  #controller: Dispatcher.DispatchController | undefined;
  #timedOut = false;
  #settled = false;
  #finishing = false;
  #requestHead: string | undefined;
  #remoteAddress: string | undefined;
  #head: { statusCode: number; statusText: string; rawHeaders: [string, string][] } | undefined;
  #body: BodyCollector | undefined;
  #truncated: Truncation | null = null;

  constructor(agent: JarvixAgent, req: HopRequest, resolve: (o: HopOutcome) => void) {
    this.#agent = agent;
    this.#req = req;
    this.#resolve = resolve;
    this.method = req.method;
    this.path = req.url.pathname + req.url.search;
    this.#timer = setTimeout(() => this.#onDeadline(), Math.max(0, req.deadline - Date.now()));
  }

  dispatchOptions(): Dispatcher.DispatchOptions {
    const headers: string[] = [];
    for (const [k, v] of this.#req.headers) headers.push(k, v);
    return {
      origin: this.#req.url.origin,
      path: this.path,
      method: this.method,
      headers,
      headersTimeout: this.#req.headersTimeoutMs,
      bodyTimeout: this.#req.bodyTimeoutMs,
    };
  }

  onRequestHead(head: string, remoteAddress: string | undefined): void {
    this.#requestHead = head;
    this.#remoteAddress = remoteAddress;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    // The deadline passed while the request waited for a connection: do not send it at all.
    if (this.#timedOut) return controller.abort(new TotalTimeout('total timeout'));
    expectRequestHead(this);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, _headers: unknown, statusMessage?: string): void {
    if (statusCode < 200) return; // 1xx informational: the real head follows
    this.#head = { statusCode, statusText: statusMessage ?? '', rawHeaders: rawPairs(controller.rawHeaders) };
    this.#body = new BodyCollector({ spillBytes: this.#req.spillBytes, tmpDir: this.#req.tmpDir });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const body = this.#body;
    // undici may hand over an empty chunk when resumed: pausing again for it would spin forever
    if (!body || this.#truncated || chunk.length === 0) return;
    const room = this.#req.maxBodyBytes - body.length;
    if (chunk.length > room) {
      if (room > 0) body.push(chunk.subarray(0, room));
      this.#truncated = 'length';
      controller.abort(new BodyCapReached('body cap reached'));
      return;
    }
    const writing = body.push(chunk);
    if (writing) {
      // Spilling to disk: hold the socket until the write lands, so memory stays bounded.
      controller.pause();
      void writing.then(() => controller.resume());
    }
  }

  onResponseEnd(): void {
    void this.#finish(null);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error): void {
    if (err instanceof BodyCapReached) return void this.#finish(null);
    const { error, truncated } =
      err instanceof TotalTimeout || this.#timedOut
        ? classifyTransportError(new TotalTimeout(`total timeout of the fetch reached`), this.#req.url.href)
        : classifyTransportError(err, this.#req.url.href);
    if (!this.#head) {
      this.#settle({ kind: 'failed', error });
      return;
    }
    this.#truncated ??= truncated;
    void this.#finish(error);
  }

  #onDeadline(): void {
    this.#timedOut = true;
    if (this.#controller) {
      this.#controller.abort(new TotalTimeout('total timeout'));
    } else {
      // Still queued or connecting: answer now; undici's late callbacks are ignored.
      const { error } = classifyTransportError(new TotalTimeout('total timeout of the fetch reached'), this.#req.url.href);
      this.#settle({ kind: 'failed', error });
    }
  }

  async #finish(error: FetchError | null): Promise<void> {
    if (this.#settled || this.#finishing || !this.#head) return;
    this.#finishing = true;
    let body: BodySource = emptyBody;
    try {
      if (this.#body) body = await this.#body.finish();
    } catch (err) {
      await this.#body?.discard().catch(() => {});
      this.#settle({ kind: 'failed', error: fetchError('JVX_ERR_FETCH_BODY_STORE', `cannot store body: ${(err as Error).message}`, true) });
      return;
    }
    const head = this.#head;
    const host = this.#req.url.host;
    const requestHead =
      this.#requestHead ?? reconstructRequestHead(this.method, this.path, host, this.#req.headers);
    let responseHead = `HTTP/1.1 ${head.statusCode} ${head.statusText}\r\n`;
    for (const [k, v] of head.rawHeaders) responseHead += `${k}: ${v}\r\n`;
    const exchange: HttpExchange = {
      url: this.#req.url.href,
      method: this.method,
      requestHead: Buffer.from(`${requestHead}\r\n`, 'latin1'),
      httpVersion: 'HTTP/1.1',
      statusCode: head.statusCode,
      statusText: head.statusText,
      rawHeaders: head.rawHeaders,
      responseHead: Buffer.from(`${responseHead}\r\n`, 'latin1'),
      body,
      truncated: this.#truncated,
      remoteAddress: this.#remoteAddress ?? this.#agent.addressOf(this.#req.url.hostname),
      startedAt: this.#startedAt,
      durationMs: Date.now() - this.#startedAt,
    };
    if (!this.#settle({ kind: 'answer', exchange, error })) await body.dispose();
  }

  #settle(outcome: HopOutcome): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#timer);
    // undici frees the connection for the next request only after this I/O turn; answering on the
    // next turn lets a follow-up fetch to the same origin reuse it instead of opening another.
    setImmediate(() => this.#resolve(outcome));
    return true;
  }
}
