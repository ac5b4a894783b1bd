import type { Handlers } from './channels.js';
import { statusClass, type Metrics } from './metrics.js';
import { hostOf, TopHosts } from './top-hosts.js';

const ROBOTS_SOURCES = new Set(['robots.txt', '4xx', '5xx', '429', '3xx', 'unreachable', 'invalid url', 'not http(s)']);
const CONSTRAINTS = ['starting', 'growing', 'ceiling', 'work', 'memory', 'event-loop', 'cpu', 'overload'];

/** A robots `source` is free text; the label keeps only its kind, from a closed set. */
export function robotsSourceLabel(source: string): string {
  if (source === 'robots.txt itself') return 'self';
  const kind = source.split(/[:( ]/, 1)[0] ?? '';
  if (kind === 'robots.txt' && source.includes('(empty)')) return 'empty';
  if (ROBOTS_SOURCES.has(kind)) return kind;
  return ROBOTS_SOURCES.has(source) ? source : 'other';
}

const MAX_PENDING_HOSTS = 4096;

/** Observations waiting for the next scrape, in a fixed buffer: handed over early when it fills. */
class PendingObservations {
  readonly #values = new Float64Array(4096);
  #n = 0;
  readonly #target: { observe(value: number): void };

  constructor(target: { observe(value: number): void }) {
    this.#target = target;
  }

  push(value: number): void {
    this.#values[this.#n++] = value;
    if (this.#n === this.#values.length) this.flush();
  }

  flush(): void {
    for (let i = 0; i < this.#n; i++) this.#target.observe(this.#values[i]!);
    this.#n = 0;
  }
}

/** Counts by label tuple waiting for the next scrape; the labels are built from the key once. */
class PendingCounts<L extends Record<string, string>> {
  readonly #counts = new Map<string, { labels: L; n: number }>();
  readonly #labelsOf: (key: string) => L;

  constructor(labelsOf: (key: string) => L) {
    this.#labelsOf = labelsOf;
  }

  add(key: string): void {
    const c = this.#counts.get(key);
    if (c) c.n++;
    else this.#counts.set(key, { labels: this.#labelsOf(key), n: 1 });
  }

  flush(target: { inc(labels: L, value: number): void }): void {
    for (const c of this.#counts.values()) {
      if (c.n > 0) target.inc(c.labels, c.n);
      c.n = 0;
    }
  }
}

/**
 * Channel messages → metric updates. The five messages every page sends (fetch start, hop and end,
 * archive write start and end) only add to plain numbers here; `refresh()`, called before each
 * scrape, hands them to prom-client in one pass. prom-client hashes and validates the labels of
 * every call (a cached `labels()` child too), which cost more per page than everything else in
 * observe/ together. Other messages are rare and update prom-client at once.
 */
export function metricsHandlers(m: Metrics, o: { topHosts: number }): { handlers: Handlers; refresh(): void } {
  const top = new TopHosts(Math.max(64, o.topHosts * 10));
  let inFlight = 0;
  let warcBytes = 0;
  const fetches = new PendingCounts((key) => {
    const bar = key.indexOf('|');
    return { status_class: key.slice(0, bar), error_code: key.slice(bar + 1) };
  });
  const requests = new PendingCounts((key) => ({ status_class: key }));
  const warcRecords = new PendingCounts((key) => ({ type: key }));
  const fetchDuration = new PendingObservations(m.fetchDuration);
  const responseBytes = new PendingObservations(m.responseBytes);
  const warcWrite = new PendingObservations(m.warcWrite);
  // Fetches per URL since the last refresh, handed to the top-N table per host then (a new host
  // costs a scan of the table, so not once per fetch).
  const hostFetches = new Map<string, number>();
  const flushHosts = (): void => {
    const byHost = new Map<string, number>();
    for (const [url, n] of hostFetches) {
      const host = hostOf(url);
      byHost.set(host, (byHost.get(host) ?? 0) + n);
    }
    hostFetches.clear();
    for (const [host, n] of byHost) top.add(host, n);
  };
  for (const c of CONSTRAINTS) m.poolConstraint.labels(c).set(0);
  // Start times of archive writes in progress: one per concurrent write, so few.
  const warcStarted = new Map<number, number>();
  // Hosts already counted as given up; cleared past a bound, at worst a host is counted twice.
  const givenUp = new Set<string>();
  let constraint = '';

  const handlers: Handlers = {
    fetchStart: () => void inFlight++,
    fetchHop: (msg) => {
      requests.add(statusClass(msg.status));
      responseBytes.push(msg.bytes);
    },
    fetchEnd: (msg) => {
      inFlight--;
      fetches.add(`${statusClass(msg.status)}|${msg.errorCode ?? 'none'}`);
      fetchDuration.push(msg.durationMs / 1000);
      // Keyed by URL (a string that exists anyway) until the refresh: a host string made per fetch
      // would live until then and be copied by the GC into the old generation.
      hostFetches.set(msg.url, (hostFetches.get(msg.url) ?? 0) + 1);
      if (hostFetches.size >= MAX_PENDING_HOSTS) flushHosts();
    },
    fetchRetry: (msg) => m.retries.labels(msg.errorCode).inc(),
    hostBackoff: (msg) => {
      m.hostBackoffs.inc();
      // Published once per failure; count the host only on the failure that gave it up.
      if (msg.gaveUp && msg.failures > 0 && !givenUp.has(msg.host)) {
        if (givenUp.size >= 100_000) givenUp.clear();
        givenUp.add(msg.host);
        m.hostsGivenUp.inc();
      }
    },
    robotsDecision: (msg) => m.robots.labels(msg.allowed ? 'allowed' : 'disallowed', robotsSourceLabel(msg.source)).inc(),
    politenessStart: () => m.politenessWaiting.inc(),
    politenessEnd: (msg) => {
      m.politenessWaiting.dec();
      m.politenessWait.observe(msg.waitedMs / 1000);
    },
    frontierSizes: (msg) => {
      m.frontier.labels('pending').set(msg.pending);
      m.frontier.labels('leased').set(msg.leased);
      m.frontier.labels('done').set(msg.done);
      m.frontier.labels('failed').set(msg.failed);
    },
    checkpoint: (msg) => {
      m.checkpoints.inc();
      m.checkpointUrls.inc(msg.urls);
      m.checkpointDuration.observe(msg.durationMs / 1000);
    },
    warcWriteStart: (msg, at) => warcStarted.set(msg.id, at),
    warcWriteEnd: (msg, at) => {
      const t0 = warcStarted.get(msg.id);
      warcStarted.delete(msg.id);
      if (t0 !== undefined) warcWrite.push((at - t0) / 1000);
      if (msg.errorCode !== null) return m.warcErrors.labels(msg.errorCode).inc();
      warcRecords.add(msg.revisit ? 'revisit' : 'response');
      warcBytes += msg.bytes;
    },
    warcRotate: () => m.warcFiles.inc(),
    stageStart: (msg) => {
      m.stageQueued.labels(msg.stage).set(msg.queued);
      m.stageInFlight.labels(msg.stage).set(msg.inFlight);
    },
    stageEnd: (msg) => {
      m.stageQueued.labels(msg.stage).set(msg.queued);
      m.stageInFlight.labels(msg.stage).set(msg.inFlight);
      m.stageDuration.labels(msg.stage).observe(msg.durationMs / 1000);
    },
    deadLetter: (msg) => m.deadLetters.labels(msg.stage, msg.errorCode).inc(),
    poolScale: (msg) => {
      m.poolScale.labels(msg.to > msg.from ? 'up' : 'down', msg.reason).inc();
      m.poolDesired.set(msg.to);
      m.poolRunning.set(msg.running);
    },
    poolStatus: (msg) => {
      m.poolDesired.set(msg.desired);
      m.poolRunning.set(msg.running);
      if (msg.constraint !== constraint) {
        if (constraint !== '') m.poolConstraint.labels(constraint).set(0);
        constraint = CONSTRAINTS.includes(msg.constraint) ? msg.constraint : 'other';
        m.poolConstraint.labels(constraint).set(1);
      }
    },
    datasetStage: (msg) => {
      m.parquetBytes.inc(msg.bytes);
      m.parquetRows.inc(msg.rows);
    },
    redis: (msg) => m.redisEvents.labels(msg.event === 'down' ? 'down' : 'up').inc(),
  };
  return {
    handlers,
    /** Before each scrape: pending hot-path updates handed over, per-host series replaced by the current top N. */
    refresh: () => {
      m.fetchesInFlight.set(inFlight);
      fetches.flush(m.fetches);
      requests.flush(m.requests);
      warcRecords.flush(m.warcRecords);
      if (warcBytes > 0) m.warcBytes.inc(warcBytes);
      warcBytes = 0;
      fetchDuration.flush();
      responseBytes.flush();
      warcWrite.flush();
      flushHosts();
      m.topHostFetches.reset();
      for (const [host, count] of top.top(o.topHosts)) m.topHostFetches.labels(host).set(count);
    },
  };
}
