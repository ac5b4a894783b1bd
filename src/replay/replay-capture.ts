import { httpHeader, type HttpHead } from '../warc/http-head.js';
import type { Capture } from './capture.js';
import type { CaptureIndex } from './capture-index.js';
import { RevisitUnresolvedError } from './errors.js';
import { loadRecord, type LoadedRecord } from './record-loader.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade', 'content-length']);
/** Archived headers that would act on the archive's own origin: sent renamed, as pywb does. */
const RENAMED = new Set(['set-cookie', 'strict-transport-security', 'content-security-policy', 'content-security-policy-report-only', 'public-key-pins', 'alt-svc', 'clear-site-data', 'report-to', 'nel']);

/** A capture ready to replay: the archived status and headers, and the payload as stored. */
export interface ReplayableCapture {
  readonly capture: Capture;
  /** Archived status (200 for a record without an HTTP head). */
  readonly status: number;
  readonly head: HttpHead | undefined;
  /** The payload as stored: content-encoding kept. */
  readonly body: Buffer;
  /** The capture whose payload a revisit resolved to. */
  readonly original: Capture | undefined;
}

/**
 * Loads the record behind a capture; a revisit resolves to the response holding its payload
 * (same digest, same URL preferred, nearest in time), keeping the revisit's own head: that is
 * what the server answered at the revisit's time.
 */
export async function replayableCapture(index: CaptureIndex, capture: Capture): Promise<ReplayableCapture> {
  const rec = await loadRecord(capture.warcPath, capture.offset, undefined, capture.length);
  if (rec.type !== 'revisit') return { capture, status: statusOf(rec.head), head: rec.head, body: rec.body, original: undefined };
  const digest = (rec.warcHeaders.get('WARC-Payload-Digest') ?? capture.digest).replace(/^sha1:/i, '');
  const original = index.original(digest, rec.warcHeaders.get('WARC-Refers-To-Target-URI') ?? capture.url, capture.timestamp);
  if (!original) throw new RevisitUnresolvedError(capture.url, digest);
  const orig: LoadedRecord = await loadRecord(original.warcPath, original.offset, undefined, original.length);
  const head = rec.head ? withEncodingOf(rec.head, orig.head) : orig.head;
  return { capture, status: statusOf(head), head, body: orig.body, original };
}

function statusOf(head: HttpHead | undefined): number {
  const s = head?.status;
  return s !== undefined && s >= 100 && s <= 599 ? s : 200;
}

/** The revisit's head, but with the content-encoding of the bytes it now carries. */
function withEncodingOf(head: HttpHead, orig: HttpHead | undefined): HttpHead {
  const enc = orig ? httpHeader(orig, 'Content-Encoding') : undefined;
  const headers = head.headers.filter(([k]) => k.toLowerCase() !== 'content-encoding');
  if (enc) headers.push(['Content-Encoding', enc]);
  return { ...head, headers };
}

/**
 * The archived headers to send: hop-by-hop ones dropped (and those the `Connection` header
 * names), Content-Length left to the server, and headers that would act on the archive's own
 * origin (cookies, HSTS, CSP…) renamed `X-Archive-Orig-<name>`.
 */
export function replayHeaders(head: HttpHead | undefined, options: { dropContentEncoding?: boolean; drop?: readonly string[] } = {}): [string, string][] {
  if (!head) return [];
  const named = new Set((httpHeader(head, 'Connection') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
  const drop = new Set((options.drop ?? []).map((s) => s.toLowerCase()));
  const out: [string, string][] = [];
  for (const [k, v] of head.headers) {
    const l = k.toLowerCase();
    if (HOP_BY_HOP.has(l) || named.has(l) || drop.has(l)) continue;
    if (l === 'content-encoding' && options.dropContentEncoding) continue;
    if (RENAMED.has(l)) out.push([`X-Archive-Orig-${k}`, v]);
    else if (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) && !/[\r\n]/.test(v)) out.push([k, v]);
  }
  return out;
}
