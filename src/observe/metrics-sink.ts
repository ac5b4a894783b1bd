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

/**
 * Channel messages → metric updates. Children of labelled metrics are cached per label tuple:
 * prom-client hashes the label object on every `inc({…})`, and this runs once per exchange.
 */
export function metricsHandlers(m: Metrics, o: { topHosts: number }): { handlers: Handlers; refresh(): void } {
  const top = new TopHosts(Math.max(64, o.topHosts * 10));
  const fetchChildren = new Map<string, { inc(): void }>();
  const requestChildren = new Map<string, { inc(): void }>();
  const fetchChild = (cls: string, code: string): { inc(): void } => {
    const key = `${cls}|${code}`;
    let c = fetchChildren.get(key);
    if (!c) fetchChildren.set(key, (c = m.fetches.labels(cls, code)));
    return c;
  };
  const requestChild = (cls: string): { inc(): void } => {
    let c = requestChildren.get(cls);
    if (!c) requestChildren.set(cls, (c = m.requests.labels(cls)));
    return c;
  };
  for (const c of CONSTRAINTS) m.poolConstraint.labels(c).set(0);
  // Start times of archive writes in progress: one per concurrent write, so few.
  const warcStarted = new Map<number, number>();
  // Hosts already counted as given up; cleared past a bound, at worst a host is counted twice.
  const givenUp = new Set<string>();
  let constraint = '';

  const handlers: Handlers = {
    fetchStart: () => m.fetchesInFlight.inc(),
    fetchHop: (msg) => {
      requestChild(statusClass(msg.status)).inc();
      m.responseBytes.observe(msg.bytes);
    },
    fetchEnd: (msg) => {
      m.fetchesInFlight.dec();
      fetchChild(statusClass(msg.status), msg.errorCode ?? 'none').inc();
      m.fetchDuration.observe(msg.durationMs / 1000);
      top.add(hostOf(msg.url));
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
    warcWriteStart: (msg) => warcStarted.set(msg.id, performance.now()),
    warcWriteEnd: (msg) => {
      const t0 = warcStarted.get(msg.id);
      warcStarted.delete(msg.id);
      if (t0 !== undefined) m.warcWrite.observe((performance.now() - t0) / 1000);
      if (msg.errorCode !== null) return m.warcErrors.labels(msg.errorCode).inc();
      m.warcRecords.labels(msg.revisit ? 'revisit' : 'response').inc();
      m.warcBytes.inc(msg.bytes);
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
    /** Before each scrape: the per-host series are replaced by the current top N. */
    refresh: () => {
      m.topHostFetches.reset();
      for (const [host, count] of top.top(o.topHosts)) m.topHostFetches.labels(host).set(count);
    },
  };
}
