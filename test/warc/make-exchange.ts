import { bodyFromBuffer, type BodySource } from '../../src/http/body.js';
import type { HttpExchange } from '../../src/http/exchange.js';

/** A hand-built exchange, as the fetcher would produce it. */
export function makeExchange(o: {
  url: string;
  status?: number;
  body?: Buffer | string | BodySource;
  headers?: [string, string][];
  startedAt?: number;
  truncated?: HttpExchange['truncated'];
}): HttpExchange {
  const status = o.status ?? 200;
  const body: BodySource = o.body === undefined ? bodyFromBuffer(Buffer.alloc(0)) : typeof o.body === 'string' || Buffer.isBuffer(o.body) ? bodyFromBuffer(Buffer.from(o.body)) : o.body;
  const headers: [string, string][] = o.headers ?? [['Content-Type', 'text/html; charset=utf-8'], ['Content-Length', String(body.length)]];
  const u = new URL(o.url);
  const requestHead = Buffer.from(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUser-Agent: jarvix-test\r\n\r\n`, 'latin1');
  const responseHead = Buffer.from(`HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Status'}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`, 'latin1');
  return {
    url: o.url,
    method: 'GET',
    requestHead,
    httpVersion: '1.1',
    statusCode: status,
    statusText: status === 200 ? 'OK' : 'Status',
    rawHeaders: headers,
    responseHead,
    body,
    truncated: o.truncated ?? null,
    remoteAddress: '127.0.0.1',
    startedAt: o.startedAt ?? Date.UTC(2024, 0, 2, 3, 4, 5, 678),
    durationMs: 12,
  };
}
