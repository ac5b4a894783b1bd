import { RunSearcher, searchHttp, type SearchResponse } from '../../search/index.js';
import type { RouteContext } from '../router.js';
import { h, layout, pager, runHref, sendPage } from './layout.js';
import type { RunData } from './run-data.js';

/** One RunSearcher per set of run folders, kept open (the search issue's readers are reused). */
export class Searchers {
  readonly #cache = new Map<string, RunSearcher>();
  get(dirs: readonly string[]): RunSearcher {
    const key = dirs.join('\n');
    let s = this.#cache.get(key);
    if (!s) this.#cache.set(key, (s = new RunSearcher(dirs)));
    return s;
  }
  close(): void {
    for (const s of this.#cache.values()) s.close();
    this.#cache.clear();
  }
}

const PARAMS = ['q', 'limit', 'offset', 'host', 'action', 'from', 'to'] as const;

function hits(run: string, r: SearchResponse): string {
  return `<ol class="results" start="${r.offset + 1}">${r.results
    .map(
      (x) =>
        `<li><a href="${h(runHref(run, 'page', { url: x.url }))}">${h(x.title || x.url)}</a><br><span class="url">${h(x.url)}</span>` +
        ` <span class="muted">${h(x.action ?? '')}${x.score === null ? '' : ` · score ${h(x.score.toFixed(1))}`}${x.captureTime ? ` · ${h(x.captureTime.slice(0, 10))}` : ''}</span>` +
        // snippetHtml is the search module's own escaping of the snippet, with <mark> only.
        `<p class="snippet">${x.snippetHtml}</p>${x.replay ? `<a href="${h(x.replay)}">replay</a>` : ''}</li>`,
    )
    .join('')}</ol>`;
}

/** `/runs/<id>/search?q=&host=&action=&from=&to=&offset=&limit=`: ranked results with snippets, filters and paging. */
export function searchView(ctx: RouteContext, data: RunData, searchers: Searchers, run: string): void {
  const dir = data.dir(run);
  const q = ctx.query.get('q') ?? '';
  const params = new URLSearchParams();
  for (const k of PARAMS) {
    const v = ctx.query.get(k);
    if (v !== null && v !== '') params.set(k, v);
  }
  if (!params.has('limit')) params.set('limit', '20');
  const f = { host: ctx.query.get('host') ?? '', action: ctx.query.get('action') ?? '' };
  const form =
    `<form class="filters" method="get" action="${h(runHref(run, 'search'))}"><label>query<input type="search" name="q" value="${h(q)}"></label>` +
    `<label>host<input name="host" value="${h(f.host)}"></label><label>action<select name="action">${['', 'BUY', 'MONITOR', 'SKIP']
      .map((a) => `<option value="${a}"${a === f.action.toUpperCase() ? ' selected' : ''}>${a || 'any'}</option>`)
      .join('')}</select></label><button>Search</button></form>`;
  let out = '';
  let status = 200;
  if (q.trim() !== '') {
    const a = searchHttp(searchers.get([dir]), params);
    status = a.status;
    if ('error' in a.body) out = `<p class="error">${h(a.body.error.message)} <code>${h(a.body.error.code)}</code></p>`;
    else {
      const r = a.body;
      const base = (offset: number): string => runHref(run, 'search', { ...Object.fromEntries(params), offset: offset || null });
      out = `<p class="muted">${r.totalExact ? '' : 'at least '}${r.total.toLocaleString('en')} pages match (${h(r.tookMs)} ms)</p>${r.results.length ? hits(run, r) : '<p class="empty">nothing found</p>'}${pager(base, r.offset, r.limit, r.results.length)}`;
    }
  }
  const title = q ? `“${q}” in ${run}` : `Search ${run}`;
  sendPage(ctx.res, status, layout(title, `<h1>${h(title)}</h1>${form}${out}`, { run, q }));
}

/** `/search-runs?q=`: the header box on pages above any run: one run goes straight to its search; several are listed. */
export function searchAllView(ctx: RouteContext, data: RunData, searchers: Searchers): void {
  const q = ctx.query.get('q') ?? '';
  if (data.runs.length === 1) {
    ctx.res.writeHead(302, { Location: runHref(data.runs[0]!, 'search', { q }) });
    ctx.res.end();
    return;
  }
  const parts = data.runs.map((run) => {
    if (!q.trim()) return '';
    const a = searchHttp(searchers.get([data.dir(run)]), new URLSearchParams({ q, limit: '5' }));
    if ('error' in a.body) return `<h2>${h(run)}</h2><p class="muted">${h(a.body.error.message)}</p>`;
    return `<h2><a href="${h(runHref(run, 'search', { q }))}">${h(run)}</a>: ${a.body.total.toLocaleString('en')} matches</h2>${hits(run, a.body)}`;
  });
  sendPage(ctx.res, 200, layout(`“${q}” in all runs`, `<h1>${h(`“${q}” in all runs`)}</h1>${parts.join('') || '<p class="empty">no run served</p>'}`, { q }));
}
