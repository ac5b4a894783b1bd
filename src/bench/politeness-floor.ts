import type { WebModel } from '../testweb/model.js';
import { crawlDelayFor, robotsAllowsPath } from '../testweb/robots.js';
import { locateUrl } from '../testweb/describe.js';

export interface FloorOptions {
  /** Gap after each request to a host (collect's hostDelayMs). */
  hostDelayMs: number;
  /** robots.txt fetched first and obeyed (Crawl-delay raises the gap). */
  robots: boolean;
  /** How long a robots.txt that never answers is waited for (collect's robotsTimeoutMs). */
  robotsTimeoutMs: number;
  /** Upper bound of a Crawl-delay (collect's maxCrawlDelayMs). */
  maxCrawlDelayMs: number;
}

export interface PolitenessFloor {
  /** The shortest run any crawler keeping these rules could make, in seconds. */
  seconds: number;
  /** The host that sets it, and why. */
  host: string;
  requests: number;
  latencySeconds: number;
  gapSeconds: number;
}

/**
 * The politeness floor of a crawl on the synthetic web: with unlimited concurrency and zero
 * overhead, one request at a time per host still takes, per host, the sum of the server's planned
 * latencies plus one gap (host delay or Crawl-delay, whichever is longer) between consecutive
 * requests, robots.txt first. The slowest host bounds the run; a collect that ends near this number
 * is limited by politeness, not by its machinery. Computed from the model's own plan (the latencies
 * the server will apply), not measured. `add` each URL of the crawl (as it is written out, so the
 * URLs are generated once), then read `result()`.
 */
export class PolitenessFloorTally {
  readonly #model: WebModel;
  readonly #o: FloorOptions;
  readonly #hosts = new Map<number, { name: string; latencyMs: number; requests: number; gapMs: number; blockedAll: boolean }>();

  constructor(model: WebModel, options: FloorOptions) {
    this.#model = model;
    this.#o = options;
  }

  add(url: string): void {
    const model = this.#model;
    const o = this.#o;
    // What describeUrl says about latency and robots, without building the whole page plan.
    const { parsed, hostIndex } = locateUrl(model, url);
    const plan = model.host(hostIndex);
    let h = this.#hosts.get(hostIndex);
    if (h === undefined) {
      const crawlDelaySeconds = crawlDelayFor(plan.robots, '*');
      const crawlDelayMs = o.robots && crawlDelaySeconds !== null ? Math.min(o.maxCrawlDelayMs, crawlDelaySeconds * 1000) : 0;
      h = { name: plan.name, latencyMs: 0, requests: 0, gapMs: Math.max(o.hostDelayMs, crawlDelayMs), blockedAll: false };
      if (o.robots) {
        // robots.txt is the host's first request; unreachable (5xx, no answer) refuses every URL.
        h.latencyMs += plan.robots.status === null ? o.robotsTimeoutMs : model.latencyMs(hostIndex, '/robots.txt');
        h.requests++;
        h.blockedAll = plan.robots.unreachable;
      }
      this.#hosts.set(hostIndex, h);
    }
    if (h.blockedAll || (o.robots && !robotsAllowsPath(plan.robots, parsed.pathname, '*'))) return;
    h.latencyMs += model.latencyMs(hostIndex, parsed.pathname);
    h.requests++;
  }

  result(): PolitenessFloor {
    let worst: PolitenessFloor = { seconds: 0, host: '', requests: 0, latencySeconds: 0, gapSeconds: 0 };
    for (const h of this.#hosts.values()) {
      const gapMs = Math.max(0, h.requests - 1) * h.gapMs;
      const seconds = (h.latencyMs + gapMs) / 1000;
      if (seconds > worst.seconds) worst = { seconds, host: h.name, requests: h.requests, latencySeconds: h.latencyMs / 1000, gapSeconds: gapMs / 1000 };
    }
    return worst;
  }
}

/** The floor of a whole list of URLs (see PolitenessFloorTally). */
export function politenessFloor(model: WebModel, urls: Iterable<string>, o: FloorOptions): PolitenessFloor {
  const tally = new PolitenessFloorTally(model, o);
  for (const url of urls) tally.add(url);
  return tally.result();
}
