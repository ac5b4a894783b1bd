import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { ServeContext } from '../context.js';
import { PathTraversalError, RangeNotSatisfiableError, RouteNotFoundError } from '../errors.js';
import { sendError } from '../respond.js';
import type { Router } from '../router.js';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Range',
  'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges, Content-Type',
};

/** One `bytes=` range of a file of `size` bytes, inclusive; undefined to send it whole. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges or another unit: RFC 9110 lets a server ignore Range and send the whole file.
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) throw new RangeNotSatisfiableError(header, size);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) throw new RangeNotSatisfiableError(header, size);
  return { start, end };
}

/**
 * `/wacz/<name>`: the WACZ files given with `--wacz`, by base name only (nothing else on disk is
 * reachable), with HTTP Range and CORS so ReplayWeb.page can open them by URL.
 */
export function register(router: Router, sc: ServeContext): void {
  router.get(
    '/wacz/',
    async (ctx) => {
      const { req, res } = ctx;
      try {
        const raw = ctx.rest.split('?')[0]!;
        let name: string;
        try {
          name = decodeURIComponent(raw);
        } catch {
          throw new PathTraversalError(raw);
        }
        if (name.includes('/') || name.includes('\\') || name.includes('\0') || name.startsWith('.')) throw new PathTraversalError(raw);
        if (req.method === 'OPTIONS') {
          res.writeHead(204, CORS);
          return void res.end();
        }
        const path = sc.wacz.get(name);
        if (!path) throw new RouteNotFoundError(`/wacz/${name}`);
        await sendFile(res, path, req.headers.range);
      } catch (err) {
        if (err instanceof RangeNotSatisfiableError) res.setHeader('Content-Range', `bytes */${err.size}`);
        for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
        sendError(res, err, false);
      }
    },
    { methods: ['GET', 'HEAD', 'OPTIONS'] },
  );
}

async function sendFile(res: ServerResponse, path: string, range: string | undefined): Promise<void> {
  const size = (await stat(path)).size;
  const r = parseRange(range, size);
  const headers: Record<string, string | number> = { ...CORS, 'Content-Type': 'application/wacz', 'Accept-Ranges': 'bytes' };
  if (r) {
    res.writeHead(206, { ...headers, 'Content-Range': `bytes ${r.start}-${r.end}/${size}`, 'Content-Length': r.end - r.start + 1 });
  } else res.writeHead(200, { ...headers, 'Content-Length': size });
  if (res.req.method === 'HEAD' || size === 0) return void res.end();
  await new Promise<void>((resolve) => {
    const s = createReadStream(path, r ?? {});
    s.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      s.destroy();
      resolve();
    });
    s.pipe(res);
  });
}
