import { WEB, type ServeContext } from '../context.js';
import { escapeHtml, page, sendHtml, sendJson } from '../respond.js';
import type { Router } from '../router.js';

/** `/`: the sources served and their capture counts (the web UI will grow from here). */
export function register(router: Router, sc: ServeContext): void {
  router.get('/', (ctx) => {
    const sources = sc.index.sources();
    if ((ctx.req.headers.accept ?? '').includes('application/json')) return sendJson(ctx.res, 200, { sources, wacz: [...sc.wacz.keys()] });
    const rows = sources.map((s) => `<li><code>${escapeHtml(s.source)}</code>: ${s.captures} captures in ${s.files} files</li>`).join('');
    const wacz = [...sc.wacz.keys()].map((n) => `<li><a href="/wacz/${encodeURIComponent(n)}">${escapeHtml(n)}</a></li>`).join('');
    sendHtml(
      ctx.res,
      200,
      page(
        'jarvix archive',
        `<h1>jarvix archive</h1><h2>Runs and archives</h2><ul>${rows || '<li>none</li>'}</ul>` +
          (wacz ? `<h2>WACZ</h2><ul>${wacz}</ul>` : '') +
          `<form onsubmit="location.href='${WEB}'+this.u.value;return false"><input name="u" size="60" placeholder="http://example.com/"> <button>Replay latest</button></form>` +
          `<p>URL scheme: <code>${WEB}&lt;timestamp&gt;/&lt;url&gt;</code>, <code>/cdx?url=…</code>, <code>/timeline/&lt;url&gt;</code>, <code>/diff/&lt;ts1&gt;/&lt;ts2&gt;/&lt;url&gt;</code>, <code>${WEB}timemap/link/&lt;url&gt;</code>.</p>`,
      ),
    );
  });
}
