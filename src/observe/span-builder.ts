import { INVALID_SPAN_CONTEXT, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import { LruMap } from '../util/lru-map.js';
import type { FetchEndMessage, FetchStartMessage, Handlers } from './channels.js';

/**
 * One URL's trace. Its root is the fetch span (HTTP client conventions); it opens at the first
 * event of the URL — a robots check or a politeness wait comes before the request — as `page`,
 * and is renamed to the method when the request starts. Archive writes and stages come after it
 * ended and still hang under it, looked up by URL (the final URL and every hop's URL too).
 */
interface PageTrace {
  /** The root span while it is open; once it ended, DROPPED (the SDK object is let go). */
  span: Span;
  /** Parent of later events: the open root, then only its span context (a few strings). */
  ctx: Context;
  phase: 'before' | 'fetching' | 'after';
}

interface OpenFetch {
  span: Span;
  page: PageTrace | null;
}

const ROBOTS_PATH = '/robots.txt';
/** The root of a page whose trace was not kept: records nothing, ends as a no-op. */
const DROPPED = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
/**
 * Every page whose trace was not kept, one shared marker, never mutated. Dropped URLs are not
 * remembered (sampleUrl answers the same for them each time); only redirect targets of dropped
 * pages that the hash alone would keep are, so that their archive writes do not start traces.
 */
const DROPPED_PAGE: PageTrace = { span: DROPPED, ctx: ROOT_CONTEXT, phase: 'fetching' };
const DROPPED_FETCH: OpenFetch = { span: DROPPED, page: DROPPED_PAGE };

export interface SpanBuilderLimits {
  /** URLs remembered for parenting later events; open spans beyond this are ended and dropped. */
  maxPages: number;
  /** Start events awaiting their end, per kind. */
  maxOpen: number;
}

/**
 * Channel messages → spans. Each start/end pair is matched by the `id` in its payload. `sampleUrl`
 * decides each URL's trace before any SDK call (tracing.ts); a dropped page costs an entry in the
 * small map of fetches in flight, nothing else.
 */
export function spanHandlers(tracer: Tracer, limits: SpanBuilderLimits, sampleUrl: (url: string) => boolean = () => true): { handlers: Handlers; close(): void } {
  // `at`: the time of the message that ends or starts a span (handlers run in batches, later).
  const endPage = (p: PageTrace, at?: number): void => {
    if (p !== DROPPED_PAGE && p.phase !== 'after') {
      p.phase = 'after';
      p.span.end(at);
      // The page is remembered for its archive writes and stages (up to maxPages of them): by its
      // span context alone, so the ended SDK span, its attributes and its ties to the processor
      // are not held for that long (old-generation garbage the GC would mark again and again).
      p.ctx = trace.setSpanContext(ROOT_CONTEXT, p.span.spanContext());
      p.span = DROPPED;
    }
  };
  const endSpan = (s: { span: Span } | Span): void => ('span' in s ? s.span : s).end();
  const pages = new LruMap<string, PageTrace>(limits.maxPages, (p) => endPage(p));
  const fetches = new LruMap<number, OpenFetch>(limits.maxOpen, (f) => (f.page ? endPage(f.page) : f.span.end()));
  const robots = new LruMap<number, { span: Span; origin: string | null }>(limits.maxOpen, endSpan);
  const robotsByOrigin = new LruMap<string, { id: number; ctx: Context }>(limits.maxOpen);
  const waits = new LruMap<number, Span>(limits.maxOpen, endSpan);
  const writes = new LruMap<number, Span>(limits.maxOpen, endSpan);
  const stages = new LruMap<number, Span>(limits.maxOpen, endSpan);
  const resends = new LruMap<string, number>(limits.maxPages);
  const droppedHops = new LruMap<string, true>(limits.maxOpen);
  /** The page a URL's later events (archive writes, stages) belong to; undefined: none known. */
  const pageOf = (url: string): PageTrace | undefined => pages.get(url) ?? (droppedHops.get(url) ? DROPPED_PAGE : undefined);

  const newPage = (url: string, name: string, at: number): PageTrace => {
    if (!sampleUrl(url)) return DROPPED_PAGE;
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, startTime: at }, ROOT_CONTEXT);
    if (!span.isRecording()) {
      // An injected sampler dropped it: remember, since sampleUrl would keep it next time.
      pages.set(url, DROPPED_PAGE);
      return DROPPED_PAGE;
    }
    const page: PageTrace = { span, ctx: trace.setSpan(ROOT_CONTEXT, span), phase: 'before' };
    span.setAttribute(ATTR_URL_FULL, url);
    pages.set(url, page);
    return page;
  };
  /** The page a pre-request event (robots, politeness) belongs to: the open one, or a new one. */
  const pageBefore = (url: string, at: number): PageTrace => {
    const p = pages.touch(url);
    return p && p.phase !== 'after' ? p : newPage(url, 'page', at);
  };
  /**
   * A child of `parent`'s trace (a root of its own when `url` has no page), or null under an
   * unsampled page: the SDK would only hand back a non-recording span, at a cost per event.
   */
  const child = (parent: PageTrace | undefined, name: string, at: number, url: string): Span | null => {
    if (parent === undefined) return sampleUrl(url) ? tracer.startSpan(name, { kind: SpanKind.INTERNAL, startTime: at }, ROOT_CONTEXT) : null;
    return parent === DROPPED_PAGE ? null : tracer.startSpan(name, { kind: SpanKind.INTERNAL, startTime: at }, parent.ctx);
  };
  const failed = (span: Span, code: string | null): void => {
    if (code === null) return;
    span.setAttribute(ATTR_ERROR_TYPE, code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: code });
  };

  const startFetch = (msg: FetchStartMessage, at: number): void => {
    // robots.txt fetched for a check in progress: a child of that check, not a page of its own.
    if (msg.url.endsWith(ROBOTS_PATH)) {
      const check = robotsByOrigin.get(msg.url.slice(0, -ROBOTS_PATH.length));
      if (check) {
        const span = tracer.startSpan(msg.method, { kind: SpanKind.CLIENT, startTime: at }, check.ctx);
        if (span.isRecording()) httpStartAttributes(span, msg, undefined);
        fetches.set(msg.id, { span, page: null });
        return;
      }
    }
    const open = pages.touch(msg.url);
    const page = open === DROPPED_PAGE || (open && open.phase === 'before') ? open : newPage(msg.url, msg.method, at);
    if (page === DROPPED_PAGE) {
      fetches.set(msg.id, DROPPED_FETCH);
      return;
    }
    page.phase = 'fetching';
    if (page.span.isRecording()) {
      page.span.updateName(msg.method);
      httpStartAttributes(page.span, msg, resends.take(msg.url));
    }
    fetches.set(msg.id, { span: page.span, page });
  };

  const endFetch = (msg: FetchEndMessage, at: number): void => {
    const f = fetches.take(msg.id);
    if (!f) return;
    if (f === DROPPED_FETCH) return; // its redirect targets were seen hop by hop
    const span = f.span;
    if (span.isRecording()) {
      if (msg.status !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, msg.status);
      span.setAttribute('jarvix.fetch.hops', msg.hops);
      if (msg.finalUrl !== msg.url) span.setAttribute('jarvix.fetch.final_url', msg.finalUrl);
      if (msg.truncated !== null) span.setAttribute('jarvix.fetch.truncated', msg.truncated);
      failed(span, msg.errorCode ?? (msg.status !== null && msg.status >= 400 ? String(msg.status) : null));
    }
    if (f.page) {
      endPage(f.page, at);
      if (msg.finalUrl !== msg.url) pages.set(msg.finalUrl, f.page);
    } else {
      span.end(at);
    }
  };

  const handlers: Handlers = {
    fetchStart: startFetch,
    fetchHop: (msg, at) => {
      const f = fetches.get(msg.id);
      if (!f?.page) return;
      if (f === DROPPED_FETCH) {
        // A redirect target of a dropped page that the hash alone would keep: remember it.
        if (sampleUrl(msg.url)) droppedHops.set(msg.url, true);
        return;
      }
      const prior = pages.get(msg.url);
      if (prior === f.page) return;
      // A redirect target checked (robots) before its hop opened a page of its own: close it.
      if (prior) endPage(prior, at);
      pages.set(msg.url, f.page);
    },
    fetchEnd: endFetch,
    fetchRetry: (msg) => resends.set(msg.url, msg.attempt),
    robotsStart: (msg, at) => {
      if (msg.url.endsWith(ROBOTS_PATH)) return;
      const page = pageBefore(msg.url, at);
      const span = child(page, 'robots.check', at, msg.url);
      if (span === null) return;
      let origin: string | null = null;
      if (span.isRecording()) {
        try {
          origin = new URL(msg.url).origin;
        } catch {
          origin = null;
        }
        // The first check of an origin is the one that fetches its robots.txt (single-flight).
        if (origin !== null && !robotsByOrigin.get(origin)) robotsByOrigin.set(origin, { id: msg.id, ctx: trace.setSpan(page.ctx, span) });
      }
      robots.set(msg.id, { span, origin });
    },
    robotsDecision: (msg, at) => {
      if (msg.url.endsWith(ROBOTS_PATH)) return;
      const r = robots.take(msg.id);
      if (r) {
        if (r.origin !== null && robotsByOrigin.get(r.origin)?.id === msg.id) robotsByOrigin.take(r.origin);
        if (r.span.isRecording()) {
          r.span.setAttributes({ 'jarvix.robots.allowed': msg.allowed, 'jarvix.robots.source': msg.source });
          if (msg.crawlDelayMs !== null) r.span.setAttribute('jarvix.robots.crawl_delay_ms', msg.crawlDelayMs);
        }
        r.span.end(at);
      }
      const page = pages.get(msg.url);
      if (!msg.allowed && page && page.phase === 'before') {
        if (page.span.isRecording()) page.span.setAttribute('jarvix.robots.allowed', false);
        endPage(page, at);
      }
    },
    politenessStart: (msg, at) => {
      const span = child(pageBefore(msg.url, at), 'politeness.wait', at, msg.url);
      if (span === null) return;
      if (span.isRecording()) span.setAttributes({ [ATTR_SERVER_ADDRESS]: msg.host, 'jarvix.politeness.delay_ms': msg.delayMs });
      waits.set(msg.id, span);
    },
    politenessEnd: (msg, at) => {
      const span = waits.take(msg.id);
      if (!span) return;
      if (span.isRecording()) span.setAttribute('jarvix.politeness.waited_ms', msg.waitedMs);
      span.end(at);
    },
    warcWriteStart: (msg, at) => {
      const span = child(pageOf(msg.url), 'archive.write', at, msg.url);
      if (span === null) return;
      if (span.isRecording()) span.setAttribute(ATTR_URL_FULL, msg.url);
      writes.set(msg.id, span);
    },
    warcWriteEnd: (msg, at) => {
      const span = writes.take(msg.id);
      if (!span) return;
      if (span.isRecording()) {
        span.setAttributes({ 'jarvix.warc.bytes': msg.bytes, 'jarvix.warc.revisit': msg.revisit });
        if (msg.file !== null) span.setAttribute('jarvix.warc.file', msg.file);
        failed(span, msg.errorCode);
      }
      span.end(at);
    },
    stageStart: (msg, at) => {
      const span = child(pageOf(msg.url), `stage.${msg.stage}`, at, msg.url);
      if (span === null) return;
      if (span.isRecording()) span.setAttributes({ 'jarvix.stage': msg.stage, 'jarvix.stage.queued': msg.queued });
      stages.set(msg.id, span);
    },
    stageEnd: (msg, at) => {
      const span = stages.take(msg.id);
      if (!span) return;
      if (span.isRecording()) failed(span, msg.errorCode);
      span.end(at);
    },
  };
  return {
    handlers,
    /** Ends every span still open, so what was started is exported rather than lost. */
    close: () => {
      for (const m of [waits, writes, stages, robots, fetches]) m.drain();
      pages.drain();
    },
  };
}

function httpStartAttributes(span: Span, msg: FetchStartMessage, resendCount: number | undefined): void {
  span.setAttribute(ATTR_HTTP_REQUEST_METHOD, msg.method);
  span.setAttribute(ATTR_URL_FULL, msg.url);
  if (resendCount !== undefined) span.setAttribute(ATTR_HTTP_REQUEST_RESEND_COUNT, resendCount);
  try {
    const u = new URL(msg.url);
    span.setAttribute(ATTR_SERVER_ADDRESS, u.hostname);
    span.setAttribute(ATTR_SERVER_PORT, u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port));
  } catch {
    // Not a URL: the fetch ends with JVX_ERR_FETCH_INVALID_URL, which the end event records.
  }
}
