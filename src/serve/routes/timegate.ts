import { BadParameterError, NotCapturedError, msTimestamp, normalizeUrl, type Capture } from '../../replay/index.js';
import { surt } from '../../warc/index.js';
import { archiveUrl, type ServeContext } from '../context.js';
import { mementoLink, timemapLines } from '../memento.js';
import { sendError } from '../respond.js';
import type { RouteContext } from '../router.js';

/** Mementos listed in one TimeMap at most (a URL captured more often gets the latest ones cut). */
const TIMEMAP_MAX = 100_000;

/** RFC 7089 TimeGate: `/web/<url>` with `Accept-Datetime` → 302 to the nearest memento (the latest without it). */
export function timegate(ctx: RouteContext, sc: ServeContext, rawUrl: string): void {
  const { req, res } = ctx;
  try {
    const url = normalizeUrl(rawUrl);
    const accept = req.headers['accept-datetime'];
    let at = '99991231235959';
    if (accept !== undefined) {
      const ms = Date.parse(String(accept));
      if (!Number.isFinite(ms)) throw new BadParameterError('Accept-Datetime', 'an HTTP-date (RFC 7231), e.g. "Thu, 01 Feb 2024 10:00:00 GMT"', String(accept));
      at = msTimestamp(ms);
    }
    const cap = sc.index.nearest(url, surt(url), at);
    if (!cap) throw new NotCapturedError(url);
    res.writeHead(302, { Location: archiveUrl(cap.timestamp, '', cap.url), Vary: 'accept-datetime', Link: mementoLink(cap), 'Content-Length': 0 });
    res.end();
  } catch (err) {
    sendError(res, err, true);
  }
}

/** RFC 7089 TimeMap in link format: `/web/timemap/link/<url>`. */
export function timemap(ctx: RouteContext, sc: ServeContext, rawUrl: string): void {
  const { res } = ctx;
  try {
    const url = normalizeUrl(rawUrl);
    const all: Capture[] = [...sc.index.query(url, { matchType: 'exact', limit: TIMEMAP_MAX })];
    if (all.length === 0) {
      sendError(res, new NotCapturedError(url), false);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/link-format; charset=utf-8' });
    if (ctx.req.method === 'HEAD') return void res.end();
    let body = '';
    for (const line of timemapLines(url, all, all[0]!, all.at(-1)!)) body += line;
    res.end(body);
  } catch (err) {
    sendError(res, err, false);
  }
}
