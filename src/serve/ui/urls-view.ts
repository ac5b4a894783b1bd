import type { ServeContext } from '../context.js';
import type { RouteContext } from '../router.js';
import { UiBadParamError, intParam } from './errors.js';
import { fmtNum, fmtTime, h, layout, runHref, sendPage, table } from './layout.js';
import { sqlString, type RunData } from './run-data.js';

const ACTIONS = ['BUY', 'MONITOR', 'SKIP', 'unscored'];
const MAX_CAPTURES_COUNTED = 1000;

export interface UrlFilters {
  host: string;
  status: string;
  action: string;
  text: string;
}

/** The WHERE clause of the filters; every value a SQL literal, validated first. */
export function urlWhere(f: UrlFilters): string {
  const w: string[] = [];
  if (f.host) w.push(`url_host_name = ${sqlString(f.host.toLowerCase())}`);
  if (f.status === 'none') w.push('fetch_status IS NULL');
  else if (f.status) {
    if (!/^\d{3}$/.test(f.status)) throw new UiBadParamError('status', "a 3-digit HTTP status or 'none'", f.status);
    w.push(`fetch_status = ${Number(f.status)}`);
  }
  if (f.action === 'unscored') w.push('action IS NULL');
  else if (f.action) {
    if (!ACTIONS.includes(f.action.toUpperCase())) throw new UiBadParamError('action', ACTIONS.join(', '), f.action);
    w.push(`action = ${sqlString(f.action.toUpperCase())}`);
  }
  if (f.text) {
    const like = sqlString(`%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    w.push(`(url ILIKE ${like} ESCAPE '\\' OR title ILIKE ${like} ESCAPE '\\')`);
  }
  return w.length ? w.join(' AND ') : 'true';
}

/**
 * `/runs/<id>/urls?host=&status=&action=&text=&after=&limit=`: the run's URLs in URL order, one
 * row per URL with its captures, paged by key (`after` = the last URL shown), so the millionth
 * page costs what the first does. The capture count comes from the capture index, per URL shown.
 */
export async function urlsView(ctx: RouteContext, data: RunData, sc: ServeContext, run: string): Promise<void> {
  data.dir(run);
  const q = ctx.query;
  const f: UrlFilters = { host: q.get('host') ?? '', status: q.get('status') ?? '', action: q.get('action') ?? '', text: q.get('text') ?? '' };
  const limit = intParam('limit', q.get('limit'), 1, 500, 50);
  const after = q.get('after') ?? '';
  const where = urlWhere(f) + (after ? ` AND url > ${sqlString(after)}` : '');
  const rows = await data.query(
    run,
    // A top-N by url (no GROUP BY): DuckDB keeps only `limit` rows while it scans. A URL with
    // several rows (a resumed run) shows once: adjacent duplicates are dropped below. One sort key:
    // DuckDB then pushes the top-N bound into the scan of the URL-sorted copy.
    `SELECT url, title, fetch_status AS status, action, score, fetch_time AS fetched FROM ${await data.pagesByUrl(run)} WHERE ${where} ORDER BY url LIMIT ${limit}`,
  );
  const shown = rows.filter((r, i) => i === 0 || r.url !== rows[i - 1]!.url);
  const cells = shown.map((r) => {
    const url = String(r.url);
    let captures = 0;
    for (const _ of sc.index.query(url, { matchType: 'exact', limit: MAX_CAPTURES_COUNTED })) captures++;
    return [
      `<a class="url" href="${h(runHref(run, 'page', { url }))}">${h(url)}</a>${r.title ? `<br><span class="muted">${h(r.title)}</span>` : ''}`,
      h(r.status ?? 'none'),
      h(r.action ?? ''),
      h(fmtNum(r.score)),
      h(fmtTime(r.fetched)),
      captures >= MAX_CAPTURES_COUNTED ? `${MAX_CAPTURES_COUNTED}+` : String(captures),
    ];
  });
  const base = { host: f.host, status: f.status, action: f.action, text: f.text, limit: limit === 50 ? '' : limit };
  const next = rows.length === limit ? `<a rel="next" href="${h(runHref(run, 'urls', { ...base, after: String(rows.at(-1)!.url) }))}">next →</a>` : '';
  const first = after ? `<a href="${h(runHref(run, 'urls', base))}">← first</a>` : '';
  const opt = (v: string, label: string, cur: string): string => `<option value="${h(v)}"${v === cur ? ' selected' : ''}>${h(label)}</option>`;
  const form =
    `<form class="filters" method="get" action="${h(runHref(run, 'urls'))}">` +
    `<label>host<input name="host" value="${h(f.host)}"></label>` +
    `<label>status<input name="status" value="${h(f.status)}" size="4" placeholder="200"></label>` +
    `<label>action<select name="action">${opt('', 'any', f.action)}${ACTIONS.map((a) => opt(a, a, f.action)).join('')}</select></label>` +
    `<label>text<input type="text" name="text" value="${h(f.text)}"></label><button>Filter</button></form>`;
  const title = `URLs of ${run}${f.host ? ` on ${f.host}` : ''}`;
  const body = `<h1>${h(title)}</h1>${form}${table(['URL', 'status', 'action', 'score', 'fetched', 'captures'], cells, 'no URL matches')}<nav class="pager" aria-label="pages">${first} ${next}</nav>`;
  sendPage(ctx.res, 200, layout(title, body, { run }));
}
