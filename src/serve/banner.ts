import type { Capture } from '../replay/index.js';
import { httpDate } from '../replay/index.js';
import { archiveUrl } from './context.js';
import { escapeHtml } from './respond.js';

/** The replay banner: what this is, when it was captured, the timeline, and how to hide it. */
export function bannerHtml(c: Capture, status: number): string {
  const when = httpDate(c.timestamp);
  const hide = `${archiveUrl(c.timestamp, '', c.url)}${c.url.includes('?') ? '&' : '?'}banner=0`;
  const failed = status >= 400 ? ` · <b>recorded status ${status}</b>` : '';
  return (
    `<div id="jarvix-banner" style="all:initial;position:fixed;z-index:2147483647;left:0;right:0;bottom:0;display:block;background:#1f2937;color:#f9fafb;font:13px/1.6 system-ui,sans-serif;padding:3px 10px">` +
    `<span style="all:unset">jarvix archive · captured <time datetime="${c.timestamp}">${escapeHtml(when)}</time>${failed} · ` +
    `<a style="color:#93c5fd" href="/timeline/${escapeHtml(c.url)}">timeline</a> · ` +
    `<a style="color:#93c5fd" href="${escapeHtml(hide)}">hide banner</a></span></div>`
  );
}
