import { NotCapturedError, normalizeUrl } from '../../replay/index.js';
import { archiveUrl, type ServeContext } from '../context.js';
import { sendError, sendJson } from '../respond.js';
import type { Router } from '../router.js';

const MAX_CAPTURES = 100_000;

interface Entry {
  timestamp: string;
  /** Last timestamp of the run of equal-digest captures collapsed into this entry. */
  until: string;
  captures: number;
  url: string;
  status: string;
  mime: string;
  digest: string;
  /** Change against the previous entry, 0..1, stored in the index when the capture was indexed. */
  change: number | null;
  replay: string;
}

/**
 * `/timeline/<url>`: every capture of the URL, oldest first, runs of captures with the same
 * payload digest collapsed into one entry, each with its change score. Reads only: the scores
 * were computed when the captures were indexed.
 */
export function register(router: Router, sc: ServeContext): void {
  router.get('/timeline/', (ctx) => {
    try {
      const url = normalizeUrl(ctx.rest);
      const entries: Entry[] = [];
      let total = 0;
      for (const c of sc.index.query(url, { matchType: 'exact', limit: MAX_CAPTURES })) {
        total++;
        const last = entries.at(-1);
        if (last && c.dup) {
          last.captures++;
          last.until = c.timestamp;
          continue;
        }
        entries.push({ timestamp: c.timestamp, until: c.timestamp, captures: 1, url: c.url, status: c.status, mime: c.mime, digest: c.digest, change: c.change, replay: archiveUrl(c.timestamp, '', c.url) });
      }
      if (total === 0) throw new NotCapturedError(url);
      sendJson(ctx.res, 200, { url, captures: total, distinct: entries.length, truncated: total >= MAX_CAPTURES, entries }, { 'Access-Control-Allow-Origin': '*' });
    } catch (err) {
      sendError(ctx.res, err, false);
    }
  });
}
