import { BadParameterError, MATCH_TYPES, normalizeUrl, parseTimestamp, type Capture, type MatchType } from '../../replay/index.js';
import type { ServeContext } from '../context.js';
import { sendError } from '../respond.js';
import type { Router } from '../router.js';

const DEFAULT_LIMIT = 10_000;
const MAX_LIMIT = 1_000_000;
const FIELDS: Record<string, keyof Capture> = {
  urlkey: 'urlkey',
  timestamp: 'timestamp',
  url: 'url',
  original: 'url',
  mime: 'mime',
  mimetype: 'mime',
  status: 'status',
  statuscode: 'status',
  digest: 'digest',
  length: 'length',
  offset: 'offset',
  filename: 'filename',
};

type Filter = (c: Capture) => boolean;

/** pywb filters: `[!][=|~]field:value` (= exact, ~ contains, default regex search; ! negates). */
function parseFilter(f: string): Filter {
  const m = /^(!)?([=~])?([a-z]+):(.*)$/s.exec(f);
  const field = m ? FIELDS[m[3]!] : undefined;
  if (!m || !field) throw new BadParameterError('filter', `[!][=|~]field:value with field one of ${Object.keys(FIELDS).join(', ')}`, f);
  const [, not, kind, , value] = m as unknown as [string, string | undefined, string | undefined, string, string];
  let test: (v: string) => boolean;
  if (kind === '=') test = (v) => v === value;
  else if (kind === '~') test = (v) => v.includes(value);
  else {
    let re: RegExp;
    try {
      re = new RegExp(value);
    } catch {
      throw new BadParameterError('filter', 'a valid regular expression after field:', f);
    }
    test = (v) => re.test(v);
  }
  return not ? (c) => !test(String(c[field])) : (c) => test(String(c[field]));
}

const json = (c: Capture): Record<string, string> => ({
  urlkey: c.urlkey,
  timestamp: c.timestamp,
  url: c.url,
  mime: c.mime,
  status: c.status,
  digest: c.digest,
  length: String(c.length),
  offset: String(c.offset),
  filename: c.filename,
});

/**
 * pywb's CDX server API: `/cdx?url=…&matchType=exact|prefix|host|domain&from=&to=&limit=
 * &output=cdxj|json&filter=…&collapse=field`. Lines stream from the index as they are read.
 */
export function register(router: Router, sc: ServeContext): void {
  router.get('/cdx', (ctx) => {
    const { query: q, res } = ctx;
    let lines: Generator<string>;
    try {
      let raw = q.get('url');
      if (!raw) throw new BadParameterError('url', 'the URL to look up', '');
      let matchType = (q.get('matchType') ?? 'exact') as MatchType;
      // pywb: `url=example.com/path*` is a prefix query.
      if (raw.endsWith('*') && !q.get('matchType')) {
        matchType = 'prefix';
        raw = raw.slice(0, -1);
      }
      if (!MATCH_TYPES.includes(matchType)) throw new BadParameterError('matchType', MATCH_TYPES.join(', '), matchType);
      const url = normalizeUrl(raw);
      const from = q.get('from') ? parseTimestamp(q.get('from')!).low : undefined;
      const to = q.get('to') ? parseTimestamp(q.get('to')!).high : undefined;
      const limitText = q.get('limit') ?? String(DEFAULT_LIMIT);
      const limit = Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new BadParameterError('limit', `an integer from 1 to ${MAX_LIMIT}`, limitText);
      const output = q.get('output') ?? 'cdxj';
      if (output !== 'cdxj' && output !== 'json') throw new BadParameterError('output', 'cdxj or json', output);
      const filters = q.getAll('filter').map(parseFilter);
      const collapse = q.get('collapse');
      const collapseField = collapse ? FIELDS[collapse.split(':')[0]!] : undefined;
      if (collapse && !collapseField) throw new BadParameterError('collapse', `a field: ${Object.keys(FIELDS).join(', ')}`, collapse);
      lines = (function* () {
        let n = 0;
        let prev: string | undefined;
        for (const c of sc.index.query(url, { matchType, ...(from ? { from } : {}), ...(to ? { to } : {}) })) {
          if (!filters.every((f) => f(c))) continue;
          if (collapseField) {
            // Adjacent lines with an equal field collapse to the first (Wayback CDX server semantics).
            const v = `${c.urlkey} ${String(c[collapseField])}`;
            if (v === prev) continue;
            prev = v;
          }
          const j = json(c);
          yield output === 'json' ? `${JSON.stringify(j)}\n` : `${c.urlkey} ${c.timestamp} ${JSON.stringify({ url: j.url, mime: j.mime, status: j.status, digest: j.digest, length: j.length, offset: j.offset, filename: j.filename })}\n`;
          if (++n >= limit) return;
        }
      })();
      // Up to 64 KB is gathered before the head is sent: a query error is still a clean 400, and
      // a small answer goes out in one write with its length (no chunked trickle of tiny packets).
      let buf = '';
      let r = lines.next();
      for (; !r.done && buf.length < 65536; r = lines.next()) buf += r.value;
      const type = output === 'json' ? 'application/x-ndjson; charset=utf-8' : 'text/x-cdxj; charset=utf-8';
      if (r.done) {
        res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(buf), 'Access-Control-Allow-Origin': '*' });
        return void res.end(ctx.req.method === 'HEAD' ? undefined : buf);
      }
      res.writeHead(200, { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' });
      if (ctx.req.method === 'HEAD') return void res.end();
      res.write(buf + r.value);
    } catch (err) {
      return sendError(res, err, false);
    }
    const pump = (): void => {
      let chunk = '';
      for (let r = lines.next(); !r.done; r = lines.next()) {
        chunk += r.value;
        if (chunk.length >= 65536) {
          const ok = res.write(chunk);
          chunk = '';
          if (!ok) return void res.once('drain', pump);
        }
      }
      res.end(chunk);
    };
    pump();
  });
}
