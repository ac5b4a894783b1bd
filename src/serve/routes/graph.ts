import { handleGraphRequest, type GraphRoute } from '../../graph/index.js';
import type { ServeContext } from '../context.js';
import { sendJson } from '../respond.js';
import type { Router } from '../router.js';

/** `GET /graph/neighbours?run=&node=&hops=&direction=&limit=` and `GET /graph/path?run=&from=&to=`: the graph module's JSON (docs/graph.md). */
export function register(router: Router, sc: ServeContext): void {
  for (const route of ['neighbours', 'path'] as GraphRoute[]) {
    router.get(`/graph/${route}`, async (ctx) => {
      const run = ctx.query.get('run');
      // Only the runs this server serves: the run parameter must not open other folders.
      if (run !== null && !(sc.runs ?? []).includes(run)) return sendJson(ctx.res, 404, { error: { code: 'JVX_ERR_UI_RUN_NOT_SERVED', message: `run ${JSON.stringify(run.slice(0, 200))} is not served here` } });
      const a = await handleGraphRequest(route, ctx.query, { dataDir: sc.dataDir ?? '.' });
      sendJson(ctx.res, a.status, a.body);
    });
  }
}
