import {
  BadParameterError,
  DIFF_TYPES,
  NotCapturedError,
  bodyText,
  decodedBody,
  diffLines,
  htmlBlocks,
  htmlLinks,
  isHtmlMime,
  normalizeUrl,
  parseTimestamp,
  replayableCapture,
  type Capture,
  type DiffType,
} from '../../replay/index.js';
import { surt } from '../../warc/index.js';
import { httpHeader } from '../../warc/http-head.js';
import type { ServeContext } from '../context.js';
import { sendError, sendJson } from '../respond.js';
import type { Router } from '../router.js';

const DEFAULT_TIMEOUT_MS = 1000;
const MAX_TIMEOUT_MS = 10_000;

export async function linesOf(sc: ServeContext, cap: Capture, type: DiffType): Promise<string[]> {
  const rc = await replayableCapture(sc.index, cap);
  const ct = (rc.head ? httpHeader(rc.head, 'Content-Type') : undefined) ?? cap.mime;
  const text = bodyText(await decodedBody(rc), ct);
  const html = isHtmlMime(ct.split(';')[0]!.trim().toLowerCase());
  if (type === 'source') return text.split(/\r?\n/);
  if (type === 'links') return html ? htmlLinks(text, cap.url) : [];
  return html ? htmlBlocks(text) : text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

/**
 * `/diff/<ts1>/<ts2>/<url>?type=text|links|source[&timeoutMs=N]`: the captures nearest each
 * timestamp, compared block by block (text), link by link, or line by line (source), then word
 * by word inside changed blocks, under a time cap (`partial: true` when it was reached).
 */
export function register(router: Router, sc: ServeContext): void {
  router.get('/diff/', async (ctx) => {
    try {
      const m = /^([^/]+)\/([^/]+)\/(.+)$/s.exec(ctx.rest);
      if (!m) throw new BadParameterError('path', '/diff/<ts1>/<ts2>/<url>', ctx.rest);
      const t1 = parseTimestamp(m[1]!);
      const t2 = parseTimestamp(m[2]!);
      // The archived URL keeps its own query; our parameters are taken from the end of it.
      let raw = m[3]!;
      const params = new URLSearchParams();
      const q = raw.indexOf('?');
      if (q >= 0) {
        const kept: string[] = [];
        for (const p of raw.slice(q + 1).split('&')) {
          const [k] = p.split('=');
          if (k === 'type' || k === 'timeoutMs') params.set(k, decodeURIComponent(p.slice(k.length + 1)));
          else kept.push(p);
        }
        raw = kept.length ? `${raw.slice(0, q)}?${kept.join('&')}` : raw.slice(0, q);
      }
      const type = (params.get('type') ?? 'text') as DiffType;
      if (!DIFF_TYPES.includes(type)) throw new BadParameterError('type', DIFF_TYPES.join(', '), type);
      const timeoutText = params.get('timeoutMs') ?? String(DEFAULT_TIMEOUT_MS);
      const timeoutMs = Number(timeoutText);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) throw new BadParameterError('timeoutMs', `an integer from 1 to ${MAX_TIMEOUT_MS}`, timeoutText);
      const url = normalizeUrl(raw);
      const key = surt(url);
      const a = sc.index.nearest(url, key, t1.low);
      const b = sc.index.nearest(url, key, t2.low);
      if (!a || !b) throw new NotCapturedError(url);
      const [la, lb] = await Promise.all([linesOf(sc, a, type), linesOf(sc, b, type)]);
      const d = diffLines(la, lb, timeoutMs);
      sendJson(ctx.res, 200, { url, type, from: { timestamp: a.timestamp, digest: a.digest }, to: { timestamp: b.timestamp, digest: b.digest }, ...d }, { 'Access-Control-Allow-Origin': '*' });
    } catch (err) {
      sendError(ctx.res, err, false);
    }
  });
}
