import { join } from 'node:path';
import { RunSearcher, searchHttp } from '../../search/index.js';
import type { ServeContext } from '../context.js';
import { sendJson } from '../respond.js';
import type { Router } from '../router.js';

/** `GET /search?q=&limit=&offset=&host=&action=&from=&to=`: the search module's JSON over every run served (docs/search.md). */
export function register(router: Router, sc: ServeContext): void {
  let searcher: RunSearcher | undefined;
  router.get('/search', (ctx) => {
    searcher ??= new RunSearcher((sc.runs ?? []).map((r) => join(sc.dataDir ?? '.', 'runs', r)));
    const a = searchHttp(searcher, ctx.query);
    sendJson(ctx.res, a.status, a.body, a.status === 200 ? {} : { 'X-Jarvix-Error': (a.body as { error: { code: string } }).error.code });
  });
}
