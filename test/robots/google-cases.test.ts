import { describe, expect, it } from 'vitest';
import { isAllowed, parseRobots } from '../../src/robots/index.js';

/**
 * A port of google/robotstxt robots_test.cc (Apache-2.0), the reference RFC 9309 implementation.
 * Deliberate differences are noted where a case is changed or left out:
 * - we take the product token from the crawler's own name too ("Foo Bar" obeys as "foo");
 * - we percent-encode both sides, so a raw non-ASCII URL matches its encoded rule;
 * - %-encoded unreserved characters are decoded (RFC 9309 §2.2.2 table: %62%61%7A = baz);
 * - Google-only "index.html = directory" is not done;
 * - a BOM in the middle of the file is trimmed like whitespace instead of spoiling its line.
 */
function allowed(robotstxt: string, agent: string, url: string): boolean {
  const u = new URL(url);
  return isAllowed(parseRobots(robotstxt), agent, u.pathname + u.search);
}

describe('google/robotstxt cases', () => {
  it('system test: empty file or agent allows everything', () => {
    expect(allowed('', 'FooBot', 'http://foo.bar/')).toBe(true);
    expect(allowed('user-agent: FooBot\ndisallow: /\n', 'FooBot', 'http://foo.bar/')).toBe(false);
  });

  it('line syntax: key: value, and a missing colon accepted', () => {
    const url = 'http://foo.bar/x/y';
    expect(allowed('user-agent: FooBot\ndisallow: /\n', 'FooBot', url)).toBe(false);
    expect(allowed('foo: FooBot\nbar: /\n', 'FooBot', url)).toBe(true);
    expect(allowed('user-agent FooBot\ndisallow /\n', 'FooBot', url)).toBe(false);
  });

  it('groups: consecutive agents share a group, groups for one agent merge, stray rules ignored', () => {
    const robotstxt =
      'allow: /foo/bar/\n\nuser-agent: FooBot\ndisallow: /\nallow: /x/\nuser-agent: BarBot\ndisallow: /\nallow: /y/\n\n\nallow: /w/\n' +
      'user-agent: BazBot\n\nuser-agent: FooBot\nallow: /z/\ndisallow: /\n';
    expect(allowed(robotstxt, 'FooBot', 'http://foo.bar/x/b')).toBe(true);
    expect(allowed(robotstxt, 'FooBot', 'http://foo.bar/z/d')).toBe(true);
    expect(allowed(robotstxt, 'FooBot', 'http://foo.bar/y/c')).toBe(false);
    expect(allowed(robotstxt, 'BarBot', 'http://foo.bar/y/c')).toBe(true);
    expect(allowed(robotstxt, 'BarBot', 'http://foo.bar/w/a')).toBe(true);
    expect(allowed(robotstxt, 'BarBot', 'http://foo.bar/z/d')).toBe(false);
    expect(allowed(robotstxt, 'BazBot', 'http://foo.bar/z/d')).toBe(true);
    for (const agent of ['FooBot', 'BarBot', 'BazBot']) expect(allowed(robotstxt, agent, 'http://foo.bar/foo/bar/')).toBe(false);
  });

  it('directive names and user-agent values are case-insensitive', () => {
    const cases: [string, string[]][] = [
      ['USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n', ['FooBot', 'foobot', 'FOOBOT']],
      ['uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n', ['FooBot', 'foobot']],
      ['User-Agent: FOO BAR\nAllow: /x/\nDisallow: /\n', ['Foo', 'foo']],
      ['User-Agent: foo bar\nAllow: /x/\nDisallow: /\n', ['Foo', 'foo']],
      ['User-Agent: FoO bAr\nAllow: /x/\nDisallow: /\n', ['Foo', 'foo']],
    ];
    for (const [robotstxt, agents] of cases) {
      for (const agent of agents) {
        expect(allowed(robotstxt, agent, 'http://foo.bar/x/y')).toBe(true);
        expect(allowed(robotstxt, agent, 'http://foo.bar/a/b')).toBe(false);
      }
    }
  });

  it('a user-agent value counts up to its first non-token character', () => {
    const robotstxt = 'User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n';
    expect(allowed(robotstxt, 'Foo', 'http://foo.bar/x/y')).toBe(true);
  });

  it('falls back to the * group, and to no rules without one', () => {
    const global = 'user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n';
    const specific = 'user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\nuser-agent: BazBot\ndisallow: /\n';
    expect(allowed('', 'FooBot', 'http://foo.bar/x/y')).toBe(true);
    expect(allowed(global, 'FooBot', 'http://foo.bar/x/y')).toBe(false);
    expect(allowed(global, 'BarBot', 'http://foo.bar/x/y')).toBe(true);
    expect(allowed(specific, 'QuxBot', 'http://foo.bar/x/y')).toBe(true);
  });

  it('matches paths case-sensitively', () => {
    expect(allowed('user-agent: FooBot\ndisallow: /x/\n', 'FooBot', 'http://foo.bar/x/y')).toBe(false);
    expect(allowed('user-agent: FooBot\ndisallow: /X/\n', 'FooBot', 'http://foo.bar/x/y')).toBe(true);
  });

  it('longest match wins; allow wins ties', () => {
    const url = 'http://foo.bar/x/page.html';
    expect(allowed('user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n', 'FooBot', url)).toBe(false);
    expect(allowed('user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n', 'FooBot', url)).toBe(true);
    expect(allowed('user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n', 'FooBot', 'http://foo.bar/x/')).toBe(false);
    expect(allowed('user-agent: FooBot\ndisallow: \nallow: \n', 'FooBot', url)).toBe(true);
    expect(allowed('user-agent: FooBot\ndisallow: /\nallow: /\n', 'FooBot', url)).toBe(true);
    expect(allowed('user-agent: FooBot\ndisallow: /x\nallow: /x/\n', 'FooBot', 'http://foo.bar/x')).toBe(false);
    expect(allowed('user-agent: FooBot\ndisallow: /x\nallow: /x/\n', 'FooBot', 'http://foo.bar/x/')).toBe(true);
    expect(allowed('user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/page.html\n', 'FooBot', url)).toBe(true);
    expect(allowed('user-agent: FooBot\nallow: /page\ndisallow: /*.html\n', 'FooBot', 'http://foo.bar/page.html')).toBe(false);
    expect(allowed('user-agent: FooBot\nallow: /page\ndisallow: /*.html\n', 'FooBot', 'http://foo.bar/page')).toBe(true);
    expect(allowed('user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n', 'FooBot', url)).toBe(true);
    expect(allowed('user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n', 'FooBot', 'http://foo.bar/x/y.html')).toBe(false);
    const specificOverGlobal = 'User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n';
    expect(allowed(specificOverGlobal, 'FooBot', 'http://foo.bar/x/page')).toBe(true);
    expect(allowed(specificOverGlobal, 'FooBot', 'http://foo.bar/y/page')).toBe(false);
  });

  it('percent-encoding: query kept as is, non-ASCII encoded, unreserved decoded', () => {
    expect(allowed('User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n', 'FooBot',
      'http://foo.bar/foo/bar?qux=taz&baz=http://foo.bar?tar&par')).toBe(true);
    expect(allowed('User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n', 'FooBot', 'http://foo.bar/foo/bar/%E3%83%84')).toBe(true);
    expect(allowed('User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n', 'FooBot', 'http://foo.bar/foo/bar/%E3%83%84')).toBe(true);
    expect(allowed('User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%e3%83%84\n', 'FooBot', 'http://foo.bar/foo/bar/%E3%83%84')).toBe(true);
    // Google: false (not relied on); RFC 9309 §2.2.2 table: the encoded unreserved form matches.
    expect(allowed('User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n', 'FooBot', 'http://foo.bar/foo/bar/baz')).toBe(true);
    expect(allowed('User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n', 'FooBot', 'http://foo.bar/foo/bar/%62%61%7A')).toBe(true);
  });

  it('special characters: * wildcard, $ end anchor, # comments', () => {
    const star = 'User-agent: FooBot\nDisallow: /foo/bar/quz\nAllow: /foo/*/qux\n';
    expect(allowed(star, 'FooBot', 'http://foo.bar/foo/bar/quz')).toBe(false);
    expect(allowed(star, 'FooBot', 'http://foo.bar/foo/quz')).toBe(true);
    expect(allowed(star, 'FooBot', 'http://foo.bar/foo//quz')).toBe(true);
    expect(allowed(star, 'FooBot', 'http://foo.bar/foo/bax/quz')).toBe(true);
    const dollar = 'User-agent: FooBot\nDisallow: /foo/bar$\nAllow: /foo/bar/qux\n';
    expect(allowed(dollar, 'FooBot', 'http://foo.bar/foo/bar')).toBe(false);
    expect(allowed(dollar, 'FooBot', 'http://foo.bar/foo/bar/qux')).toBe(true);
    expect(allowed(dollar, 'FooBot', 'http://foo.bar/foo/bar/')).toBe(true);
    expect(allowed(dollar, 'FooBot', 'http://foo.bar/foo/bar/baz')).toBe(true);
    const hash = 'User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n';
    expect(allowed(hash, 'FooBot', 'http://foo.bar/foo/bar')).toBe(true);
    expect(allowed(hash, 'FooBot', 'http://foo.bar/foo/quz')).toBe(false);
  });

  it('lines beyond 8 × 2083 characters are cut there', () => {
    const maxLine = 2083 * 8;
    const build = (ch: string, directive: string): string => '/x/' + ch.repeat(maxLine - 3 - directive.length + 1 - 3);
    const cut = build('a', 'disallow: ');
    const robotstxt = `user-agent: FooBot\ndisallow: ${cut}/qux\n`;
    expect(allowed(robotstxt, 'FooBot', 'http://foo.bar/fux')).toBe(true);
    expect(allowed(robotstxt, 'FooBot', `http://foo.bar${cut}/fux`)).toBe(false);

    const a = build('a', 'allow: ');
    const b = build('b', 'allow: ');
    const two = `user-agent: FooBot\ndisallow: /\nallow: ${a}/qux\nallow: ${b}/qux\n`;
    expect(allowed(two, 'FooBot', 'http://foo.bar/')).toBe(false);
    expect(allowed(two, 'FooBot', `http://foo.bar${a}/qux`)).toBe(true);
    expect(allowed(two, 'FooBot', `http://foo.bar${b}/fux`)).toBe(true);
  });

  it('documentation examples: /fish, /fish*, /fish/, /*.php, /*.php$, /fish*.php', () => {
    const cases: [string, string[], string[]][] = [
      ['/fish', ['/fish', '/fish.html', '/fish/salmon.html', '/fishheads', '/fishheads/yummy.html', '/fish.html?id=anything'], ['/bar', '/Fish.asp', '/catfish', '/?id=fish']],
      ['/fish*', ['/fish', '/fish.html', '/fish/salmon.html', '/fishheads', '/fishheads/yummy.html', '/fish.html?id=anything'], ['/bar', '/Fish.bar', '/catfish', '/?id=fish']],
      ['/fish/', ['/fish/', '/fish/salmon', '/fish/?salmon', '/fish/salmon.html', '/fish/?id=anything'], ['/bar', '/fish', '/fish.html', '/Fish/Salmon.html']],
      ['/*.php', ['/filename.php', '/folder/filename.php', '/folder/filename.php?parameters', '//folder/any.php.file.html', '/filename.php/', '/index?f=filename.php/'], ['/bar', '/php/', '/index?php', '/windows.PHP']],
      ['/*.php$', ['/filename.php', '/folder/filename.php'], ['/bar', '/filename.php?parameters', '/filename.php/', '/filename.php5', '/php/', '/filename?php', '/aaaphpaaa', '//windows.PHP']],
      ['/fish*.php', ['/fish.php', '/fishheads/catfish.php?parameters'], ['/bar', '/Fish.PHP']],
    ];
    for (const [pattern, yes, no] of cases) {
      const robotstxt = `user-agent: FooBot\ndisallow: /\nallow: ${pattern}\n`;
      for (const p of yes) expect(allowed(robotstxt, 'FooBot', `http://foo.bar${p}`), `${pattern} should allow ${p}`).toBe(true);
      for (const p of no) expect(allowed(robotstxt, 'FooBot', `http://foo.bar${p}`), `${pattern} should not allow ${p}`).toBe(false);
    }
  });

  it('order of precedence examples', () => {
    expect(allowed('user-agent: FooBot\nallow: /p\ndisallow: /\n', 'FooBot', 'http://example.com/page')).toBe(true);
    expect(allowed('user-agent: FooBot\nallow: /folder\ndisallow: /folder\n', 'FooBot', 'http://example.com/folder/page')).toBe(true);
    expect(allowed('user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n', 'FooBot', 'http://example.com/page.htm')).toBe(false);
    expect(allowed('user-agent: FooBot\nallow: /$\ndisallow: /\n', 'FooBot', 'http://example.com/')).toBe(true);
    expect(allowed('user-agent: FooBot\nallow: /$\ndisallow: /\n', 'FooBot', 'http://example.com/page.html')).toBe(false);
  });

  it('line endings: LF, CRLF, CR, mixed and no final newline parse alike', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const parsed = parseRobots(['User-Agent: foo', 'Allow: /some/path', 'User-Agent: bar', '', '', 'Disallow: /'].join(eol));
      expect(parsed.groups).toHaveLength(2);
      expect(parsed.groups[1]!.rules).toEqual([{ allow: false, pattern: '/' }]);
      expect(parsed.invalidLines).toBe(0);
    }
    const mixed = parseRobots('User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\nDisallow: /');
    expect(mixed.groups.map((g) => g.agents)).toEqual([['foo'], ['bar']]);
  });

  it('a BOM at the start is skipped (and, more lenient than Google, one mid-file too)', () => {
    const ok = parseRobots('\uFEFFUser-Agent: foo\nAllow: /AnyValue\n');
    expect(ok.groups).toEqual([{ agents: ['foo'], rules: [{ allow: true, pattern: '/AnyValue' }] }]);
    expect(ok.invalidLines + ok.unknownDirectives).toBe(0);
    const middle = parseRobots('User-Agent: foo\n\uFEFFAllow: /AnyValue\n');
    expect(middle.groups[0]!.rules).toEqual([{ allow: true, pattern: '/AnyValue' }]);
    const broken = parseRobots('\u00EF\u0011User-Agent: foo\nAllow: /AnyValue\n');
    // The garbled first line is an unknown record, so the allow line below it has no group.
    expect(broken.unknownDirectives).toBe(1);
    expect(broken.groups).toEqual([]);
    expect(broken.invalidLines).toBe(1);
  });

  it('sitemap lines anywhere are collected and do not break groups', () => {
    const a = parseRobots('User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\nSitemap: http://foo.bar/sitemap.xml\n');
    expect(a.sitemaps).toEqual(['http://foo.bar/sitemap.xml']);
    const b = parseRobots('Sitemap: http://foo.bar/sitemap.xml\nUser-Agent: foo\nSitemap: http://foo.bar/s2.xml\nUser-Agent: bar\nDisallow: /\n');
    expect(b.sitemaps).toEqual(['http://foo.bar/sitemap.xml', 'http://foo.bar/s2.xml']);
    expect(b.groups).toEqual([{ agents: ['foo', 'bar'], rules: [{ allow: false, pattern: '/' }] }]);
  });
});
