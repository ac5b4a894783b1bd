import type { ServeContext } from '../context.js';
import type { RouteContext } from '../router.js';
import { fmtNum, h, layout, runHref, sendPage, table } from './layout.js';
import { runState, type RunData } from './run-data.js';

/** `/`: every run served, its counts, dates and state, linking its overview and its report. */
export async function runsView(ctx: RouteContext, data: RunData, sc: ServeContext): Promise<void> {
  const rows: string[][] = [];
  for (const run of data.runs) {
    const m = await data.manifest(run);
    const state = runState(m);
    const c = m?.counts ?? {};
    rows.push([
      `<a href="${h(runHref(run))}">${h(run)}</a>`,
      `<span class="state-${h(state)}">${h(state)}</span>`,
      h(fmtNum(c.pagesWritten ?? c.pages ?? c.fetched ?? '')),
      h(Object.entries(c).map(([k, v]) => `${k} ${fmtNum(v)}`).join(', ')),
      h(m?.createdAt ?? ''),
      h(m?.updatedAt ?? ''),
      `<a href="${h(runHref(run, 'report'))}">report</a>`,
    ]);
  }
  const body = `<h1>Runs</h1>${table(['run', 'state', 'pages', 'counts', 'created', 'updated', 'report'], rows, 'no run is served (start with --run ID)')}`;
  const sources = table(['source', 'captures', 'files'], sc.index.sources().map((s) => [h(s.source), h(fmtNum(s.captures)), h(fmtNum(s.files))]));
  const wacz = [...sc.wacz.keys()].map((n) => `<li><a href="/wacz/${h(encodeURIComponent(n))}">${h(n)}</a></li>`).join('');
  const replay = `<p class="muted">Replay any archived URL: <code>/web/&lt;timestamp&gt;/&lt;url&gt;</code> · timeline <code>/timeline/&lt;url&gt;</code> · CDX <code>/cdx?url=</code></p>`;
  sendPage(ctx.res, 200, layout('Runs', `${body}<h2>Archives served</h2>${sources}${wacz ? `<h2>WACZ</h2><ul>${wacz}</ul>` : ''}${replay}`));
}
