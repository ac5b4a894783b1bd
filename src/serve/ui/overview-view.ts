import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sendJson } from '../respond.js';
import type { RouteContext } from '../router.js';
import { fmtNum, fmtTime, h, layout, runHref, sendPage, table } from './layout.js';
import { runState, type RunData } from './run-data.js';

const TOP = 20;

/** `/runs/<id>/overview.json`: what the live overview polls (manifest only: cheap at any size). */
export async function overviewJson(ctx: RouteContext, data: RunData, run: string): Promise<void> {
  data.dir(run);
  const m = await data.manifest(run);
  sendJson(ctx.res, 200, { run, state: runState(m), counts: m?.counts ?? {}, updatedAt: m?.updatedAt ?? null }, { 'Cache-Control': 'no-store' });
}

/**
 * `/runs/<id>`: pages by status, action and host, top hosts, error codes with an example each,
 * and pages fetched per minute. Every query is one aggregate over the Parquet shards (DuckDB
 * reads only the columns named), bounded to the top rows.
 */
export async function overviewView(ctx: RouteContext, data: RunData, run: string): Promise<void> {
  data.dir(run);
  const m = await data.manifest(run);
  const state = runState(m);
  const q = (sql: string): Promise<Record<string, unknown>[]> => data.aggregate(run, sql);
  const [totals, byStatus, byAction, hosts, errors, perMinute] = await Promise.all([
    q('SELECT count(*) AS pages, count(DISTINCT url_host_name) AS hosts, min(fetch_time) AS first, max(fetch_time) AS last FROM pages'),
    q(`SELECT coalesce(CAST(fetch_status AS VARCHAR), 'none') AS k, count(*) AS n FROM pages GROUP BY 1 ORDER BY n DESC LIMIT ${TOP}`),
    q(`SELECT coalesce(action, 'unscored') AS k, count(*) AS n FROM pages GROUP BY 1 ORDER BY n DESC LIMIT ${TOP}`),
    q(`SELECT url_host_name AS k, count(*) AS n, avg(score) AS score FROM pages GROUP BY 1 ORDER BY n DESC, k LIMIT ${TOP}`),
    // Every URL that failed for good or was refused carries its code in pages.
    q(`SELECT error_code AS k, count(*) AS n, any_value(url) AS example FROM pages WHERE error_code IS NOT NULL GROUP BY 1 ORDER BY n DESC LIMIT ${TOP}`),
    q(`SELECT date_trunc('minute', fetch_time) AS t, count(*) AS n FROM pages WHERE fetch_time IS NOT NULL GROUP BY 1 ORDER BY 1 DESC LIMIT 120`),
  ]);
  const t = totals[0] ?? {};
  const counts = m?.counts ?? {};
  const stats = [
    `<span class="stat">state<b data-state class="state-${h(state)}">${h(state)}</b></span>`,
    `<span class="stat">pages in dataset<b>${h(fmtNum(t.pages))}</b></span>`,
    `<span class="stat">hosts<b>${h(fmtNum(t.hosts))}</b></span>`,
    ...Object.entries(counts).map(([k, v]) => `<span class="stat">${h(k)}<b data-count="${h(k)}">${h(fmtNum(v))}</b></span>`),
  ].join('');
  const link = (params: Record<string, string>, text: string): string => `<a href="${h(runHref(run, 'urls', params))}">${h(text)}</a>`;
  const max = Math.max(1, ...perMinute.map((r) => Number(r.n)));
  const body =
    `<h1>Run ${h(run)}</h1><div class="card">${stats}<p class="muted">created ${h(m?.createdAt ?? '?')} · updated <span data-updated>${h(m?.updatedAt ?? '?')}</span> · fetched ${h(fmtTime(t.first))} – ${h(fmtTime(t.last))} · <a href="${h(runHref(run, 'report'))}">report</a></p></div>` +
    `<div class="grid">` +
    `<section class="card"><h2>By status</h2>${table(['status', 'pages'], byStatus.map((r) => [link(r.k === 'none' ? { status: 'none' } : { status: String(r.k) }, String(r.k)), h(fmtNum(r.n))]))}</section>` +
    `<section class="card"><h2>By action</h2>${table(['action', 'pages'], byAction.map((r) => [link({ action: String(r.k) }, String(r.k)), h(fmtNum(r.n))]))}</section>` +
    `<section class="card"><h2>Top hosts</h2>${table(['host', 'pages', 'mean score', ''], hosts.map((r) => [link({ host: String(r.k ?? '') }, String(r.k ?? '')), h(fmtNum(r.n)), h(fmtNum(r.score)), `<a href="${h(runHref(run, 'links', { host: String(r.k ?? '') }))}">links</a>`]))}</section>` +
    `<section class="card"><h2>Error codes</h2>${table(['code', 'count', 'example'], errors.map((r) => [h(r.k), h(fmtNum(r.n)), `<a class="url" href="${h(runHref(run, 'page', { url: String(r.example) }))}">${h(r.example)}</a>`]), 'no errors')}</section>` +
    `</div><section class="card"><h2>Throughput (pages per minute, latest first)</h2>${table(
      ['minute (UTC)', 'pages', ''],
      perMinute.map((r) => [h(String(r.t instanceof Date ? r.t.toISOString() : r.t).slice(0, 16)), h(fmtNum(r.n)), `<meter min="0" max="${max}" value="${Number(r.n)}">${h(fmtNum(r.n))}</meter>`]),
      'no fetch times recorded',
    )}</section>`;
  sendPage(ctx.res, 200, layout(`Run ${run}`, body, { run, data: state === 'running' ? { live: runHref(run, 'overview.json') } : {} }));
}

/** `/runs/<id>/report`: the run's HTML report written by `jarvix report`, when there is one. */
export async function reportView(ctx: RouteContext, data: RunData, run: string): Promise<void> {
  const dir = data.dir(run);
  const html = await readFile(join(dir, 'reports', `${run}.html`), 'utf8').catch(() => null);
  if (html === null) {
    sendPage(ctx.res, 404, layout(`No report for ${run}`, `<h1>No report for run ${h(run)}</h1><p>Write one with <code>jarvix report --run ${h(run)}</code>.</p>`, { run }));
    return;
  }
  // The report is jarvix's own self-contained HTML (inline styles and SVG, no script).
  ctx.res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:", 'Content-Length': Buffer.byteLength(html) });
  ctx.res.end(ctx.res.req.method === 'HEAD' ? undefined : html);
}
