import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../respond.js';

/** Escapes text for HTML content and quoted attributes: every crawled string goes through it. */
export const h = (v: unknown): string => escapeHtml(v === null || v === undefined ? '' : String(v)).replace(/'/g, '&#39;');

/** A query string from parameters, skipping empty ones (stable, bookmarkable view URLs). */
export function qs(params: Record<string, string | number | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const runHref = (run: string, view = '', params: Record<string, string | number | null | undefined> = {}): string =>
  `/runs/${encodeURIComponent(run)}${view ? `/${view}` : ''}${qs(params)}`;

/**
 * No inline script or style anywhere: scripts and styles come from this server only, frames show
 * only this server (the replay), nothing is sent elsewhere, and a page cannot be framed by another
 * site. Crawled text that slipped through unescaped could still not run.
 */
export const UI_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

export interface LayoutOptions {
  run?: string;
  /** Value shown in the header's search box. */
  q?: string;
  /** Extra `data-*` attributes of <main>, read by app.js (e.g. the overview's live URL). */
  data?: Record<string, string>;
}

/** The page around every view: header with the runs link and the search box, then the view. */
export function layout(title: string, body: string, o: LayoutOptions = {}): string {
  const action = o.run ? runHref(o.run, 'search') : '/search-runs';
  const nav = o.run
    ? `<a href="${h(runHref(o.run))}">overview</a> <a href="${h(runHref(o.run, 'urls'))}">URLs</a> <a href="${h(runHref(o.run, 'links'))}">links</a>`
    : '';
  const data = Object.entries(o.data ?? {})
    .map(([k, v]) => ` data-${k}="${h(v)}"`)
    .join('');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${h(title)} · jarvix</title><link rel="stylesheet" href="/ui/app.css"><script src="/ui/app.js" defer></script></head><body>` +
    `<header><a class="brand" href="/">jarvix runs</a>${o.run ? ` <span class="run">run <a href="${h(runHref(o.run))}">${h(o.run)}</a></span>` : ''}<nav>${nav}</nav>` +
    `<form role="search" action="${h(action)}" method="get"><input type="search" name="q" value="${h(o.q ?? '')}" placeholder="search${o.run ? ' this run' : ' all runs'}" aria-label="search"><button>Search</button></form></header>` +
    `<main${data}>${body}</main></body></html>`
  );
}

export function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Content-Security-Policy': UI_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : html);
}

/** A table from rows of already-escaped cells. */
export function table(head: readonly string[], rows: readonly (readonly string[])[], empty = 'none'): string {
  if (rows.length === 0) return `<p class="empty">${h(empty)}</p>`;
  return `<div class="scroll"><table><thead><tr>${head.map((c) => `<th scope="col">${h(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}

/** Previous/next links for offset paging, keeping the other parameters. */
export function pager(base: (offset: number) => string, offset: number, limit: number, shown: number): string {
  const prev = offset > 0 ? `<a rel="prev" href="${h(base(Math.max(0, offset - limit)))}">← previous</a>` : '';
  const next = shown >= limit ? `<a rel="next" href="${h(base(offset + limit))}">next →</a>` : '';
  return prev || next ? `<nav class="pager" aria-label="pages">${prev} <span>${offset + 1}–${offset + shown}</span> ${next}</nav>` : '';
}

export const fmtTime = (v: unknown): string => (v instanceof Date ? v.toISOString().replace('T', ' ').slice(0, 19) : v === null || v === undefined ? '' : String(v));
export const fmtNum = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(2)) : typeof v === 'bigint' ? v.toString() : v === null || v === undefined ? '' : String(v));
