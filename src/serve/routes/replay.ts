import type { ServerResponse } from 'node:http';
import {
  BadParameterError,
  MODIFIERS,
  NotCapturedError,
  UrlRewriter,
  bodyText,
  httpDate,
  decodedBody,
  normalizeUrl,
  parseTimestamp,
  replayHeaders,
  replayableCapture,
  rewriteHtml,
  type Capture,
  type Modifier,
} from '../../replay/index.js';
import { surt } from '../../warc/index.js';
import { httpHeader } from '../../warc/http-head.js';
import { bannerHtml } from '../banner.js';
import { WEB, archiveUrl, type ServeContext } from '../context.js';
import { mementoLink } from '../memento.js';
import { escapeHtml, sendError } from '../respond.js';
import type { RouteContext, Router } from '../router.js';
import { timegate, timemap } from './timegate.js';

/**
 * A rewritten page may load only from this server: whatever the rewriting missed (a URL built by
 * a script) is blocked by the browser instead of leaving for the live web.
 */
const REPLAY_CSP = "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; form-action 'self'";
const AS_ARCHIVED: ReadonlySet<Modifier> = new Set(['id_', 'js_', 'im_', 'oe_']);

interface ReplayRequest {
  readonly ts: string;
  readonly mod: Modifier;
  readonly url: string;
  readonly banner: boolean;
}

/** `<ts><mod>/<url>` with `banner=0` taken off the archived URL's query (see docs/serve.md). */
export function parseReplayPath(rest: string): ReplayRequest | 'timegate' {
  const m = /^(\d+)([a-z]{2}_)?\/(.*)$/s.exec(rest);
  if (!m) {
    // A first segment with digits but neither a dot nor a colon is a timestamp gone wrong, not a host.
    const bad = /^([^/]*\d[^/.:]*)\/./.exec(rest);
    if (bad && !/[.:]/.test(bad[1]!)) parseTimestamp(bad[1]!);
    return 'timegate';
  }
  const mod = (m[2] ?? '') as Modifier;
  if (!MODIFIERS.includes(mod)) throw new BadParameterError('modifier', MODIFIERS.filter(Boolean).join(', '), m[2]!);
  parseTimestamp(m[1]!);
  let url = m[3]!;
  let banner = true;
  const q = url.indexOf('?');
  if (q >= 0) {
    const params = url.slice(q + 1).split('&');
    const kept = params.filter((p) => p !== 'banner=0');
    if (kept.length !== params.length) {
      banner = false;
      url = kept.length ? `${url.slice(0, q)}?${kept.join('&')}` : url.slice(0, q);
    }
  }
  return { ts: m[1]!, mod, url, banner };
}

export function register(router: Router, sc: ServeContext): void {
  router.get(WEB, async (ctx) => {
    if (ctx.rest.startsWith('timemap/link/')) return timemap(ctx, sc, ctx.rest.slice('timemap/link/'.length));
    let r: ReplayRequest | 'timegate';
    try {
      r = parseReplayPath(ctx.rest);
    } catch (err) {
      return sendError(ctx.res, err, true);
    }
    if (r === 'timegate') return timegate(ctx, sc, ctx.rest);
    await replay(ctx, sc, r);
  });
}

async function replay(ctx: RouteContext, sc: ServeContext, r: ReplayRequest): Promise<void> {
  const { res } = ctx;
  let url: string;
  try {
    url = normalizeUrl(r.url);
  } catch (err) {
    return sendError(res, err, r.mod !== 'id_');
  }
  const key = surt(url);
  const stamp = parseTimestamp(r.ts);
  const cap = sc.index.nearest(url, key, stamp.low);
  if (!cap) return notCaptured(res, sc, url, key);
  const suffix = r.banner ? '' : `${cap.url.includes('?') ? '&' : '?'}banner=0`;
  if (cap.timestamp !== r.ts) {
    // Redirect-on-request (as pywb): pages point at their own time; this picks the nearest capture.
    res.writeHead(302, { Location: archiveUrl(cap.timestamp, r.mod, cap.url) + suffix, Link: mementoLink(cap), Vary: 'accept-datetime', 'Content-Length': 0 });
    res.end();
    return;
  }
  try {
    await sendCapture(res, sc, cap, r);
  } catch (err) {
    sendError(res, err, r.mod !== 'id_', `<p>Capture: ${escapeHtml(cap.url)} at ${cap.timestamp} (${escapeHtml(cap.filename)}:${cap.offset})</p>`);
  }
}

async function sendCapture(res: ServerResponse, sc: ServeContext, cap: Capture, r: ReplayRequest): Promise<void> {
  const rc = await replayableCapture(sc.index, cap);
  const head = rc.head;
  const type = (head ? httpHeader(head, 'Content-Type') : undefined) ?? cap.mime;
  const mime = type.split(';')[0]!.trim().toLowerCase();
  const memento = { 'Memento-Datetime': httpDate(cap.timestamp), Link: mementoLink(cap) };
  const send = (status: number, headers: [string, string][], body: Buffer): void => {
    const h: [string, string][] = [...headers, ['Content-Length', String(body.length)], ...Object.entries(memento)];
    res.writeHead(status, h.flat());
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };
  if (r.mod === 'id_') return send(rc.status, replayHeaders(head), rc.body);
  const rw = new UrlRewriter(WEB, cap.timestamp, cap.url);
  const location = head && httpHeader(head, 'Location');
  const headers = replayHeaders(head, { drop: ['Location'] });
  if (location) headers.push(['Location', rw.rewrite(location, r.mod === '' ? '' : r.mod)]);
  const isHtml = mime === 'text/html' || mime === 'application/xhtml+xml';
  const isCss = mime === 'text/css';
  if (AS_ARCHIVED.has(r.mod) || (!isHtml && !isCss) || (rc.status >= 300 && rc.status < 400)) return send(rc.status, headers, rc.body);
  const text = bodyText(await decodedBody(rc), type);
  const out = isCss ? rw.rewriteCss(text) : rewriteHtml(text, rw, r.mod === '' && r.banner ? bannerHtml(cap, rc.status) : undefined);
  const plain = replayHeaders(head, { drop: ['Location', 'Content-Type', 'Content-Encoding', 'Content-MD5', 'ETag', 'Digest'] });
  plain.push(['Content-Type', `${isCss ? 'text/css' : mime}; charset=utf-8`], ['Content-Security-Policy', REPLAY_CSP]);
  send(rc.status, plain, Buffer.from(out, 'utf8'));
}

function notCaptured(res: ServerResponse, sc: ServeContext, url: string, key: string): void {
  const close = sc.index.closestUrls(key);
  const list = close.length
    ? `<p>Closest captured URLs:</p><ul>${close.map((u) => `<li><a href="${escapeHtml(`${WEB}${u}`)}">${escapeHtml(u)}</a></li>`).join('')}</ul>`
    : '<p>No captured URL is close to it.</p>';
  sendError(res, new NotCapturedError(url), true, list);
}
