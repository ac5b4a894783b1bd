import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number | null;
  headers: IncomingHttpHeaders;
  /** Body bytes received as sent (no decoding), up to `maxBytes`. */
  body: Buffer;
  /** Body bytes received in total (counted past maxBytes too). */
  bodyBytes: number;
  /** How the exchange ended: whole, the socket failed, or we gave up waiting. */
  outcome: 'complete' | 'error' | 'timeout';
  errorCode: string | undefined;
  /** Chunks the body arrived in. */
  chunks: number;
  socketId: string | undefined;
}

/**
 * One GET to a virtual host of a local server, with nothing between us and the bytes: no
 * redirects, no decoding, no retries. What the synthetic web's fault tests need to see.
 */
export function rawGet(
  port: number,
  host: string,
  path: string,
  options: { headers?: Record<string, string>; method?: string; timeoutMs?: number; maxBytes?: number; agent?: import('node:http').Agent | false } = {},
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const result: RawResponse = { status: null, headers: {}, body: Buffer.alloc(0), bodyBytes: 0, outcome: 'complete', errorCode: undefined, chunks: 0, socketId: undefined };
    const parts: Buffer[] = [];
    let kept = 0;
    const max = options.maxBytes ?? 64 * 1024 * 1024;
    let settled = false;
    const finish = (outcome: RawResponse['outcome'], code?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      result.outcome = outcome;
      result.errorCode = code;
      result.body = Buffer.concat(parts);
      resolve(result);
    };
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host, ...options.headers }, agent: options.agent ?? false });
    const timer = setTimeout(() => {
      finish('timeout');
      req.destroy();
    }, options.timeoutMs ?? 10_000);
    req.on('socket', (s) => {
      const sock = s as typeof s & { __rawId?: string };
      sock.__rawId ??= `${Math.random()}`;
      result.socketId = sock.__rawId;
    });
    req.on('response', (res) => {
      result.status = res.statusCode ?? null;
      result.headers = res.headers;
      res.on('data', (c: Buffer) => {
        result.chunks++;
        result.bodyBytes += c.length;
        if (kept < max) {
          parts.push(c);
          kept += c.length;
        }
      });
      res.on('end', () => finish('complete'));
      res.on('error', (err: NodeJS.ErrnoException) => finish('error', err.code));
      res.on('aborted', () => finish('error', 'ECONNRESET'));
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish('error', err.code));
    req.end();
  });
}
