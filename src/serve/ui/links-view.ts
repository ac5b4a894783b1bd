import { handleGraphRequest, type NeighboursJson } from '../../graph/index.js';
import type { RouteContext } from '../router.js';
import { UiBadParamError } from './errors.js';
import { fmtNum, h, layout, runHref, sendPage, table } from './layout.js';
import { sqlString, type RunData } from './run-data.js';

const SHOWN = 50;
const HOST_OF = (col: string): string => `lower(regexp_extract(${col}, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)', 1))`;

type Row = { name: string; n: number | null; rank: number | null };

/** The graph's neighbours in one direction, best PageRank first, or null when the run has no graph. */
async function ranked(data: RunData, run: string, node: string, direction: 'in' | 'out'): Promise<Row[] | null> {
  const a = await handleGraphRequest('neighbours', new URLSearchParams({ run, node, direction, hops: '1', limit: '5000' }), { dataDir: data.dataDir });
  if (a.status !== 200) return null;
  const b = a.body as NeighboursJson;
  return b.neighbours
    .map((v) => ({ name: v.name, n: null, rank: v.pagerank }))
    .sort((x, y) => (y.rank ?? 0) - (x.rank ?? 0))
    .slice(0, SHOWN);
}

/** From the links table: targets (or sources) by number of links, bounded. */
async function counted(data: RunData, run: string, node: string, isHost: boolean, direction: 'in' | 'out'): Promise<Row[]> {
  const [self, other] = direction === 'out' ? ['src_url', 'dst_url'] : ['dst_url', 'src_url'];
  const sql = isHost
    ? `SELECT ${HOST_OF(other)} AS name, count(*) AS n FROM links WHERE ${HOST_OF(self)} = ${sqlString(node)} AND ${HOST_OF(other)} <> ${sqlString(node)} GROUP BY 1 ORDER BY n DESC, name LIMIT ${SHOWN}`
    : `SELECT ${other} AS name, count(*) AS n FROM ${await data.sorted(run, 'links', self)} WHERE ${self} = ${sqlString(node)} GROUP BY 1 ORDER BY n DESC, name LIMIT ${SHOWN}`;
  return (await (isHost ? data.aggregate(run, sql) : data.query(run, sql))).map((r) => ({ name: String(r.name), n: Number(r.n), rank: null }));
}

/**
 * `/runs/<id>/links?url=` or `?host=`: a page's or a host's neighbourhood, in and out. With the
 * graph built (`jarvix graph`), neighbours are ranked by PageRank; otherwise by link count from
 * the links table.
 */
export async function linksView(ctx: RouteContext, data: RunData, run: string): Promise<void> {
  data.dir(run);
  const url = ctx.query.get('url') ?? '';
  const host = (ctx.query.get('host') ?? '').toLowerCase();
  if (url && !/^https?:\/\/\S+$/i.test(url)) throw new UiBadParamError('url', 'an absolute http(s) URL', url);
  if (host && !/^[a-z0-9.-]{1,253}$/.test(host)) throw new UiBadParamError('host', 'a host name', host);
  const node = url || host;
  let body: string;
  if (!node) {
    const hosts = await data.aggregate(run, `SELECT url_host_name AS k, count(*) AS n FROM pages GROUP BY 1 ORDER BY n DESC, k LIMIT ${SHOWN}`);
    body = `<h1>Links of ${h(run)}</h1><p>Pick a host (or open a page and follow its “links”).</p>${table(['host', 'pages'], hosts.map((r) => [`<a href="${h(runHref(run, 'links', { host: String(r.k) }))}">${h(r.k)}</a>`, h(fmtNum(r.n))]))}`;
  } else {
    const isHost = !url;
    const [gin, gout] = await Promise.all([ranked(data, run, node, 'in'), ranked(data, run, node, 'out')]);
    const byGraph = gin !== null && gout !== null;
    const [ins, outs] = byGraph ? [gin, gout] : await Promise.all([counted(data, run, node, isHost, 'in'), counted(data, run, node, isHost, 'out')]);
    const cell = (r: Row): string =>
      isHost ? `<a href="${h(runHref(run, 'links', { host: r.name }))}">${h(r.name)}</a>` : `<a class="url" href="${h(runHref(run, 'page', { url: r.name }))}">${h(r.name)}</a> <a href="${h(runHref(run, 'links', { url: r.name }))}">links</a>`;
    const rows = (rs: Row[]): string[][] => rs.map((r) => [cell(r), h(byGraph ? (r.rank ?? 0).toExponential(3) : fmtNum(r.n))]);
    const head = [isHost ? 'host' : 'URL', byGraph ? 'PageRank' : 'links'];
    body =
      `<h1>Links of ${h(node)}</h1><p class="muted">ranked by ${byGraph ? 'PageRank from the run’s link graph' : 'number of links (build the graph with jarvix graph to rank by PageRank)'}${
        isHost ? ` · <a href="${h(runHref(run, 'urls', { host }))}">URLs of this host</a>` : ` · <a href="${h(runHref(run, 'page', { url }))}">page</a>`
      }</p>` +
      `<div class="grid"><section><h2>Inbound</h2>${table(head, rows(ins), 'none')}</section><section><h2>Outbound</h2>${table(head, rows(outs), 'none')}</section></div>`;
  }
  sendPage(ctx.res, 200, layout(`Links of ${node || run}`, body, { run }));
}
