import type { ServeContext } from '../context.js';
import { PathTraversalError, RouteNotFoundError } from '../errors.js';
import { sendError, sendJson } from '../respond.js';
import type { RouteContext, Router } from '../router.js';
import { registerAssets } from './assets.js';
import { diffView } from './diff-view.js';
import { h, layout, sendPage } from './layout.js';
import { linksView } from './links-view.js';
import { overviewJson, overviewView, reportView } from './overview-view.js';
import { pageView } from './page-view.js';
import { RunData } from './run-data.js';
import { runsView } from './runs-view.js';
import { Searchers, searchAllView, searchView } from './search-view.js';
import { urlsView } from './urls-view.js';

/** A UI failure as an HTML page in the UI's layout (with its CSP), naming the code. */
function sendUiError(ctx: RouteContext, err: unknown, run?: string): void {
  const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
  if (status >= 500 || ctx.res.headersSent) {
    if (status >= 500) process.emitWarning(`jarvix serve: ${ctx.raw}: ${(err as Error).message}`);
    if (ctx.res.headersSent) return sendError(ctx.res, err, true);
  }
  const code = (err as { code?: string }).code ?? 'JVX_ERR_SERVE_INTERNAL';
  const message = err instanceof Error ? err.message : String(err);
  sendPage(ctx.res, status, layout(`${status} ${code}`, `<h1>${status}</h1><p>${h(message)}</p><p><code>${h(code)}</code></p><p><a href="/">all runs</a></p>`, run ? { run } : {}));
}

type View = (ctx: RouteContext, run: string) => Promise<void> | void;

/**
 * The web UI (docs/ui.md): `/` lists the runs; `/runs/<id>/<view>` shows one run. Views live one
 * per file in this folder; they read the run's Parquet through DuckDB and the capture index, with
 * bounded queries only. Also mounts the search and graph JSON endpoints when their modules exist.
 */
export function register(router: Router, sc: ServeContext): void {
  const data = new RunData(sc);
  const searchers = new Searchers();
  registerAssets(router);
  const views: Record<string, View> = {
    '': (ctx, run) => overviewView(ctx, data, run),
    'overview.json': (ctx, run) => overviewJson(ctx, data, run),
    report: (ctx, run) => reportView(ctx, data, run),
    search: (ctx, run) => searchView(ctx, data, searchers, run),
    urls: (ctx, run) => urlsView(ctx, data, sc, run),
    page: (ctx, run) => pageView(ctx, data, sc, run),
    diff: (ctx, run) => diffView(ctx, data, sc, run),
    links: (ctx, run) => linksView(ctx, data, run),
  };
  router.get('/', async (ctx) => {
    if ((ctx.req.headers.accept ?? '').includes('application/json')) return sendJson(ctx.res, 200, { runs: data.runs, sources: sc.index.sources(), wacz: [...sc.wacz.keys()] });
    try {
      await runsView(ctx, data, sc);
    } catch (err) {
      sendUiError(ctx, err);
    }
  });
  router.get('/search-runs', (ctx) => {
    try {
      searchAllView(ctx, data, searchers);
    } catch (err) {
      sendUiError(ctx, err);
    }
  });
  router.get('/runs/', async (ctx) => {
    const path = ctx.rest.split('?')[0]!;
    const m = /^([A-Za-z0-9_-]{1,128})(?:\/([a-z.]*))?$/.exec(path);
    const run = m?.[1];
    try {
      if (!m || !run) throw path.includes('..') ? new PathTraversalError(path) : new RouteNotFoundError(`/runs/${path}`);
      const view = views[m[2] ?? ''];
      if (!view) throw new RouteNotFoundError(`/runs/${path}`);
      await view(ctx, run);
    } catch (err) {
      sendUiError(ctx, err, run && data.runs.includes(run) ? run : undefined);
    }
  });
}
