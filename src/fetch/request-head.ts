import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/**
 * The WARC request record must hold the request head exactly as undici wrote it (undici adds
 * `host` and `connection` itself). undici publishes that text on `undici:client:sendHeaders`
 * synchronously right after calling the handler's `onRequestStart` for the same request, so
 * the handler that started last is the one the message belongs to. The path and method are
 * compared as well, so a foreign undici request in the same process is never mistaken for ours.
 */
export interface HeadSink {
  readonly method: string;
  readonly path: string;
  onRequestHead(head: string, remoteAddress: string | undefined): void;
}

interface SendHeadersMessage {
  request: { method?: string; path?: string };
  headers: string;
  socket: Socket;
}

let waiting: HeadSink | undefined;
let subscribed = false;

function onSendHeaders(message: unknown): void {
  const sink = waiting;
  waiting = undefined;
  if (!sink) return;
  const m = message as SendHeadersMessage;
  if (m.request?.method !== sink.method || m.request?.path !== sink.path) return;
  sink.onRequestHead(m.headers, m.socket?.remoteAddress);
}

/** Call from `onRequestStart`: the next `sendHeaders` message is this sink's request head. */
export function expectRequestHead(sink: HeadSink): void {
  if (!subscribed) {
    subscribe('undici:client:sendHeaders', onSendHeaders);
    subscribed = true;
  }
  waiting = sink;
}

/** What undici writes for a body-less GET/HEAD, used only if the channel message did not arrive. */
export function reconstructRequestHead(method: string, path: string, hostHeader: string, headers: readonly (readonly [string, string])[]): string {
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${hostHeader}\r\nconnection: ${method === 'HEAD' ? 'close' : 'keep-alive'}\r\n`;
  for (const [k, v] of headers) head += `${k}: ${v}\r\n`;
  return head;
}
