import type { WebModel } from '../testweb/model.js';
import { crawlDelayFor, robotsAllowsPath } from '../testweb/robots.js';
import { TestWebUrlError } from '../testweb/describe.js';

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
 * The politeness floor of a crawl of `urls` on the synthetic web: with unlimited concurrency and
 * zero overhead, one request at a time per host still takes, per host, the sum of the server's
 * planned latencies plus one gap (host delay or Crawl-delay, whichever is longer) between
 * consecutive requests, robots.txt first. The slowest host bounds the run; a collect that ends
 * near this number is limited by politeness, not by its machinery. Computed from the model's own
 * plan (the latencies the server will apply), not measured.
 */
export function politenessFloor(model: WebModel, urls: Iterable<string>, o: FloorOptions): PolitenessFloor {
  const hosts = new Map<number, { name: string; latencyMs: number; requests: number; gapMs: number; blockedAll: boolean }>();
  for (const url of urls) {
    // What describeUrl would say about latency and robots, without building the whole page plan
    // (a bench of millions of URLs computes this first).
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new TestWebUrlError(url);
    }
    const hostIndex = model.hostIndex(parsed.hostname);
    if (hostIndex === undefined) throw new TestWebUrlError(url);
    const plan = model.host(hostIndex);
    let h = hosts.get(hostIndex);
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
      hosts.set(hostIndex, h);
    }
    if (h.blockedAll || (o.robots && !robotsAllowsPath(plan.robots, parsed.pathname, '*'))) continue;
    h.latencyMs += model.latencyMs(hostIndex, parsed.pathname);
    h.requests++;
  }
  let worst: PolitenessFloor = { seconds: 0, host: '', requests: 0, latencySeconds: 0, gapSeconds: 0 };
  for (const h of hosts.values()) {
    const gapMs = Math.max(0, h.requests - 1) * h.gapMs;
    const seconds = (h.latencyMs + gapMs) / 1000;
    if (seconds > worst.seconds) worst = { seconds, host: h.name, requests: h.requests, latencySeconds: h.latencyMs / 1000, gapSeconds: gapMs / 1000 };
  }
  return worst;
}
