import type { ServeContext } from '../context.js';
import type { RouteContext } from '../router.js';
import { capturesOf, replayFrame, stampText, timeline } from './captures.js';
import { urlParam } from './errors.js';
import { fmtNum, fmtTime, h, layout, runHref, sendPage, table } from './layout.js';
import { sqlString, type RunData } from './run-data.js';

const LIST = 50;
const SIGNALS = ['fetch_status', 'fetch_time', 'fetch_redirect', 'depth', 'content_mime_type', 'content_length', 'language', 'word_count', 'outlink_count', 'has_price', 'price', 'currency', 'buy_intent', 'paywall', 'soft_404', 'quality', 'confidence', 'error_code', 'error_message'];

/**
 * `/runs/<id>/page?url=&ts=`: the page's row (score, action, reason, signals), its captures as a
 * timeline (the newest shown unless `ts` picks one) in a replay frame, its chunks, outlinks and
 * inlinks. Four point queries on the run's Parquet, each with a LIMIT.
 */
export async function pageView(ctx: RouteContext, data: RunData, sc: ServeContext, run: string): Promise<void> {
  data.dir(run);
  const url = urlParam(ctx.query);
  const u = sqlString(url);
  const [pages, chunkRel, bySrc, byDst] = await Promise.all([data.pagesByUrl(run), data.sorted(run, 'chunks', 'url'), data.sorted(run, 'links', 'src_url'), data.sorted(run, 'links', 'dst_url')]);
  const [rows, chunks, outlinks, inlinks] = await Promise.all([
    data.query(run, `SELECT * FROM ${pages} WHERE url = ${u} ORDER BY fetch_time DESC NULLS LAST LIMIT 1`),
    data.query(run, `SELECT chunk_index, text, token_count FROM ${chunkRel} WHERE url = ${u} ORDER BY chunk_index LIMIT ${LIST}`),
    data.query(run, `SELECT dst_url AS u, anchor_text AS a, nofollow FROM ${bySrc} WHERE src_url = ${u} LIMIT ${LIST}`),
    data.query(run, `SELECT src_url AS u, anchor_text AS a, nofollow FROM ${byDst} WHERE dst_url = ${u} LIMIT ${LIST}`),
  ]);
  const p = rows[0];
  const caps = capturesOf(sc, url);
  const newest = caps.at(-1);
  const ts = ctx.query.get('ts') ?? newest?.timestamp ?? '';
  const shown = caps.find((c) => c.timestamp === ts) ?? newest;
  const prev = shown ? caps[caps.indexOf(shown) - 1] : undefined;
  const title = String(p?.title ?? '') || url;
  const kv = p
    ? `<dl class="kv"><dt>score</dt><dd>${h(fmtNum(p.score))}</dd><dt>action</dt><dd>${h(p.action ?? 'unscored')}</dd><dt>reason</dt><dd>${h(p.reason ?? '')}</dd>${SIGNALS.filter((k) => p[k] !== null && p[k] !== undefined)
        .map((k) => `<dt>${h(k)}</dt><dd>${h(k === 'fetch_time' ? fmtTime(p[k]) : fmtNum(p[k]))}</dd>`)
        .join('')}</dl>`
    : '<p class="empty">no pages row for this URL in this run</p>';
  const linkRows = (rs: Record<string, unknown>[]): string[][] =>
    rs.map((r) => [`<a class="url" href="${h(runHref(run, 'page', { url: String(r.u) }))}">${h(r.u)}</a>`, h(r.a ?? ''), r.nofollow ? 'nofollow' : '']);
  const body =
    `<h1>${h(title)}</h1><p class="url">${h(url)} · <a href="${h(runHref(run, 'links', { url }))}">links</a>${
      prev && shown ? ` · <a href="${h(runHref(run, 'diff', { url, a: prev.timestamp, b: shown.timestamp }))}">diff with previous capture</a>` : ''
    }</p>` +
    `<div class="grid"><section class="card"><h2>Page</h2>${kv}</section><section class="card"><h2>Captures (${caps.length})</h2>${
      caps.length ? timeline(caps, shown?.timestamp ?? '', (c) => runHref(run, 'page', { url, ts: c.timestamp })) : '<p class="empty">not captured</p>'
    }</section></div>` +
    (shown ? `<h2>Capture of ${h(stampText(shown.timestamp))}</h2>${replayFrame(shown.timestamp, shown.url, `replay of ${title} at ${stampText(shown.timestamp)}`)}` : '') +
    `<h2>Chunks</h2>${table(['#', 'text', 'tokens'], chunks.map((c) => [h(c.chunk_index), h(c.text), h(c.token_count)]), 'no chunks')}` +
    `<div class="grid"><section><h2>Outlinks</h2>${table(['to', 'anchor', ''], linkRows(outlinks), 'no outlinks')}</section>` +
    `<section><h2>Inlinks</h2>${table(['from', 'anchor', ''], linkRows(inlinks), 'no inlinks')}</section></div>`;
  sendPage(ctx.res, 200, layout(`${title} · ${run}`, body, { run }));
}
