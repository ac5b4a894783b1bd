import { describe, expect, it } from 'vitest';
import { WebModel } from '../../src/testweb/model.js';
import { resolveTestWebOptions } from '../../src/testweb/options.js';
import { seedUrlStream } from '../../src/testweb/index.js';
import { politenessFloor } from '../../src/bench/politeness-floor.js';

describe('politenessFloor', () => {
  const floorOf = (input: Parameters<typeof resolveTestWebOptions>[0], robots: boolean) => {
    const model = new WebModel(resolveTestWebOptions(input));
    return politenessFloor(model, seedUrlStream(model, 6), { hostDelayMs: 250, robots, robotsTimeoutMs: 5000, maxCrawlDelayMs: 30_000 });
  };

  it('is one host’s requests in a row: latency of each plus the larger of host delay and Crawl-delay between them', () => {
    const web = { seed: 3, hosts: 2, pagesPerHost: 3, faults: 0, latency: { kind: 'fixed' as const, medianMs: 100 }, crawlDelaySeconds: 1 };
    // robots.txt + 3 pages, 100 ms each, three 1 s Crawl-delay gaps.
    expect(floorOf({ ...web, robots: { crawlDelay: 1 } }, true)).toMatchObject({ seconds: 3.4, requests: 4, latencySeconds: 0.4, gapSeconds: 3 });
    // Without robots.txt: 3 pages, two 250 ms gaps.
    expect(floorOf({ ...web, robots: { crawlDelay: 1 } }, false)).toMatchObject({ seconds: 0.8, requests: 3 });
    // A robots.txt that never answers: the timeout, then every URL refused.
    expect(floorOf({ ...web, robots: { timeout: 1 } }, true)).toMatchObject({ seconds: 5, requests: 1 });
  });
});
