import { describe, expect, it } from 'vitest';
import { crawlDelayMs, isAllowed, MAX_ROBOTS_BYTES, parseRobots } from '../../src/robots/index.js';

describe('RFC 9309 examples', () => {
  // §5.1 Simple Example
  const simple = [
    'User-Agent: *',
    'Disallow: *.gif$',
    'Disallow: /example/',
    'Allow: /publications/',
    '',
    'User-Agent: foobot',
    'Disallow:/',
    'Allow:/example/page.html',
    'Allow:/example/allowed.gif',
    '',
    'User-Agent: barbot',
    'User-Agent: bazbot',
    'Disallow: /example/page.html',
    '',
    'User-Agent: quxbot',
    '',
    'EOF',
  ].join('\n');
  const robots = parseRobots(simple);

  it('foobot may crawl only the two allowed pages', () => {
    expect(isAllowed(robots, 'foobot', '/example/page.html')).toBe(true);
    expect(isAllowed(robots, 'foobot', '/example/allowed.gif')).toBe(true);
    expect(isAllowed(robots, 'foobot', '/')).toBe(false);
    expect(isAllowed(robots, 'foobot', '/publications/')).toBe(false);
    expect(isAllowed(robots, 'FooBot/2.1', '/example/other.html')).toBe(false);
  });

  it('barbot and bazbot share one group', () => {
    for (const agent of ['barbot', 'bazbot']) {
      expect(isAllowed(robots, agent, '/example/page.html')).toBe(false);
      expect(isAllowed(robots, agent, '/example/other.html')).toBe(true);
      expect(isAllowed(robots, agent, '/x.gif')).toBe(true);
    }
  });

  it('quxbot has an empty group: everything allowed', () => {
    expect(isAllowed(robots, 'quxbot', '/example/page.html')).toBe(true);
    expect(isAllowed(robots, 'quxbot', '/a.gif')).toBe(true);
  });

  it('everyone else obeys the * group', () => {
    expect(isAllowed(robots, 'jarvix', '/example/page.html')).toBe(false);
    expect(isAllowed(robots, 'jarvix', '/images/a.gif')).toBe(false);
    expect(isAllowed(robots, 'jarvix', '/images/a.gif?x')).toBe(true);
    expect(isAllowed(robots, 'jarvix', '/publications/')).toBe(true);
    expect(isAllowed(robots, 'jarvix', '/other')).toBe(true);
  });

  it('counts the garbage line ("EOF") instead of throwing', () => {
    expect(robots.invalidLines).toBe(1);
  });

  it('§5.2 longest match', () => {
    const r = parseRobots('User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n');
    expect(isAllowed(r, 'foobot', '/example/page/')).toBe(true);
    expect(isAllowed(r, 'foobot', '/example/page/disallowed.gif')).toBe(false);
  });

  it('§2.2.2 percent-encoding table', () => {
    const check = (rule: string, path: string): boolean => isAllowed(parseRobots(`User-Agent: *\nDisallow: /\nAllow: ${rule}\n`), 'x', path);
    expect(check('/foo/bar?baz=quz', '/foo/bar?baz=quz')).toBe(true);
    expect(check('/foo/bar/\u30C4', '/foo/bar/%E3%83%84')).toBe(true);
    expect(check('/foo/bar/%E3%83%84', '/foo/bar/%E3%83%84')).toBe(true);
    expect(check('/foo/bar/%62%61%7A', '/foo/bar/baz')).toBe(true);
  });

  it('§2.2.2 /robots.txt is always allowed', () => {
    expect(isAllowed(parseRobots('User-Agent: *\nDisallow: /\n'), 'jarvix', '/robots.txt')).toBe(true);
  });
});

describe('parseRobots details', () => {
  it('reads Crawl-delay per group, in ms', () => {
    const r = parseRobots('User-agent: *\nCrawl-delay: 2\nUser-agent: jarvix\nCrawl-delay: 0.5\nDisallow: /x\nUser-agent: other\nCrawl-delay: soon\n');
    expect(crawlDelayMs(r, 'jarvix')).toBe(500);
    expect(crawlDelayMs(r, 'someone')).toBe(2000);
    expect(crawlDelayMs(r, 'other')).toBeUndefined();
    expect(r.invalidLines).toBe(1);
    expect(crawlDelayMs(parseRobots(''), 'jarvix')).toBeUndefined();
  });

  it('counts unknown directives apart from garbage', () => {
    const r = parseRobots('User-agent: *\nHost: example.com\nClean-param: ref\nthis line is garbage\nDisallow: /a\n');
    expect(r.unknownDirectives).toBe(2);
    expect(r.invalidLines).toBe(1);
    expect(isAllowed(r, 'jarvix', '/a')).toBe(false);
  });

  it('accepts common misspellings of directives', () => {
    const r = parseRobots('useragent: *\ndissallow: /a\n');
    expect(isAllowed(r, 'jarvix', '/a/b')).toBe(false);
  });

  it('parses only the first 500 KiB, dropping the cut line', () => {
    const head = 'User-agent: *\nDisallow: /early\n';
    const filler = '# filler comment line that pads the file\n'.repeat(Math.ceil(MAX_ROBOTS_BYTES / 40));
    const r = parseRobots(`${head}${filler}Disallow: /late\n`);
    expect(r.truncated).toBe(true);
    expect(isAllowed(r, 'jarvix', '/early')).toBe(false);
    expect(isAllowed(r, 'jarvix', '/late')).toBe(true);
    expect(parseRobots(head).truncated).toBe(false);
  });

  it('matches pathological wildcards in linear time instead of backtracking', () => {
    const r = parseRobots(`User-agent: *\nDisallow: /${'*a'.repeat(40)}b$\n`);
    expect(isAllowed(r, 'jarvix', `/${'a'.repeat(5000)}`)).toBe(true);
  });

  it('treats an empty path as /', () => {
    const r = parseRobots('User-agent: *\nDisallow: /$\n');
    expect(isAllowed(r, 'jarvix', '')).toBe(false);
    expect(isAllowed(r, 'jarvix', 'page')).toBe(true);
  });
});
