import type { ServerResponse } from 'node:http';
import { JarvixError } from '../errors/index.js';

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : html);
}

/** A small self-contained HTML page (error pages, the home page). */
export function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .2em}</style></head><body>${body}</body></html>`;
}

/** Status and code of any error: ours carry `status`; anything else is a 500. */
export function errorStatus(err: unknown): { status: number; code: string; message: string } {
  const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
  const code = err instanceof JarvixError ? err.code : 'JVX_ERR_SERVE_INTERNAL';
  const message = err instanceof Error ? err.message : String(err);
  return { status, code, message };
}

/** Answers an error as JSON, or as an HTML page for a browser asking for a replayed page. */
export function sendError(res: ServerResponse, err: unknown, asHtml: boolean, extraHtml = ''): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, code, message } = errorStatus(err);
  const headers: Record<string, string> = { 'X-Jarvix-Error': code };
  if (asHtml) sendHtml(res, status, page(`${status} ${code}`, `<h1>${status}</h1><p>${escapeHtml(message)}</p><p><code>${code}</code></p>${extraHtml}`), headers);
  else sendJson(res, status, { error: { code, message } }, headers);
}
