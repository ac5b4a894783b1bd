import { describe, expect, it } from 'vitest';
import { robotsSourceLabel } from '../../../src/observe/metrics-sink.js';
import { hostOf, TopHosts } from '../../../src/observe/top-hosts.js';

describe('observe internals: bounded per-host counting', () => {
  it('keeps the heavy hosts in a table of fixed size whatever the number of hosts', () => {
    const top = new TopHosts(20);
    for (let i = 0; i < 50_000; i++) {
      top.add(`tail-${i}.test`);
      if (i % 10 === 0) top.add('heavy.test');
      if (i % 15 === 0) top.add('second.test'); // above total/capacity, so guaranteed a slot
    }
    const best = top.top(2);
    expect(best.map(([h]) => h)).toEqual(['heavy.test', 'second.test']);
    // Space-Saving overestimates by at most total/capacity.
    expect(best[0]![1]).toBeGreaterThanOrEqual(5_000);
    expect(best[0]![1]).toBeLessThanOrEqual(5_000 + 58_334 / 20);
    expect(top.top(1000)).toHaveLength(20);
  });

  it('takes the host out of a URL without parsing it whole', () => {
    expect(hostOf('http://Site-0001.test/p/1?x=1')).toBe('site-0001.test');
    expect(hostOf('https://user:pw@a.test:8443/')).toBe('a.test');
    expect(hostOf('http://[::1]:8080/x')).toBe('[::1]');
    expect(hostOf('http://b.test')).toBe('b.test');
    expect(hostOf('not a url')).toBe('');
  });

  it('maps robots sources to a closed label set', () => {
    expect(robotsSourceLabel('robots.txt')).toBe('robots.txt');
    expect(robotsSourceLabel('robots.txt (empty): allow all')).toBe('empty');
    expect(robotsSourceLabel('4xx: allow all')).toBe('4xx');
    expect(robotsSourceLabel('5xx: disallow all')).toBe('5xx');
    expect(robotsSourceLabel('unreachable: disallow all')).toBe('unreachable');
    expect(robotsSourceLabel('robots.txt itself')).toBe('self');
    expect(robotsSourceLabel('invalid url')).toBe('invalid url');
    expect(robotsSourceLabel('something new')).toBe('other');
  });
});
