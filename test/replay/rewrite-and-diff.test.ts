import { describe, expect, it } from 'vitest';
import { BadTimestampError, UrlRewriter, diffLines, keyRanges, parseTimestamp, rewriteHtml, simhashDistance } from '../../src/replay/index.js';

const rw = (): UrlRewriter => new UrlRewriter('/web/', '20240102030405', 'http://a.test/dir/page.html');

describe('replay rewriting', () => {
  it('rewrites every kind of URL in a page and leaves the rest byte for byte', () => {
    const html =
      "<!-- keep --><a href=next.html>n</a><A HREF='/x?a=1&amp;b=2'>x</A><img src=\"i.png\" srcset=\"i.png 1x, //cdn.test/i,2.png 2x\">" +
      '<base href="http://b.test/base/"><link rel=stylesheet href=s.css><script src="j.js">var u = "/not/rewritten";</script>' +
      '<style>@import url(\'c.css\'); p{background:url(bg.png)}</style><a href="#top">t</a><a href="mailto:x@y">m</a><body class=x>';
    const out = rewriteHtml(html, rw(), '<div id=b></div>');
    expect(out).toContain('<!-- keep --><a href="/web/20240102030405/http://a.test/dir/next.html">n</a>');
    expect(out).toContain('href="/web/20240102030405/http://a.test/x?a=1&amp;b=2"');
    expect(out).toContain('srcset="/web/20240102030405im_/http://a.test/dir/i.png 1x, /web/20240102030405im_/http://cdn.test/i,2.png 2x"');
    // After <base>, relative URLs resolve against it.
    expect(out).toContain('href="/web/20240102030405cs_/http://b.test/base/s.css"');
    expect(out).toContain('src="/web/20240102030405js_/http://b.test/base/j.js">var u = "/not/rewritten";</script>');
    expect(out).toContain("@import url('/web/20240102030405im_/http://b.test/base/c.css'); p{background:url(/web/20240102030405im_/http://b.test/base/bg.png)}");
    expect(out).toContain('<a href="#top">t</a><a href="mailto:x@y">m</a><body class=x><div id=b></div>');
  });

  it('rewrites meta refresh and leaves non-http URLs alone', () => {
    const r = rw();
    expect(r.rewriteRefresh('0; URL=/moved')).toBe('0; URL=/web/20240102030405/http://a.test/moved');
    expect(r.rewrite('javascript:void(0)')).toBe('javascript:void(0)');
    expect(r.rewrite('data:image/png;base64,xx')).toBe('data:image/png;base64,xx');
    expect(r.rewrite('/web/2024/http://a.test/')).toBe('/web/2024/http://a.test/');
  });
});

describe('timestamps and match types', () => {
  it('pads partial timestamps and refuses malformed ones', () => {
    expect(parseTimestamp('2024')).toEqual({ low: '20240101000000', high: '20241231235959', full: false });
    expect(parseTimestamp('20240229').high).toBe('20240229235959');
    for (const bad of ['', '2024ab', '202413', '123456789012345']) expect(() => parseTimestamp(bad)).toThrow(BadTimestampError);
  });

  it('maps match types to SURT key ranges', () => {
    expect(keyRanges('http://www.a.test/x', 'exact')[0]!.from).toBe('test,a)/x');
    expect(keyRanges('http://a.test/dir/', 'prefix')[0]!.from).toBe('test,a)/dir/');
    expect(keyRanges('http://a.test:8080/', 'host')[0]!.from).toBe('test,a:8080)');
    expect(keyRanges('http://a.test/', 'domain').map((r) => r.from)).toEqual(['test,a)', 'test,a:', 'test,a,']);
  });
});

describe('diff', () => {
  it('diffs lines then words, with counts', () => {
    const d = diffLines(['same', 'old words here', 'gone'], ['same', 'new words here', 'added']);
    expect(d.partial).toBe(false);
    expect(d.lines).toEqual({ added: 2, removed: 2, kept: 1 });
    expect(d.blocks[1]!.words).toContainEqual({ op: 'remove', text: 'old' });
  });

  it('returns a partial diff, flagged, when the time cap is reached', () => {
    const a = Array.from({ length: 20000 }, (_, i) => `left ${i}`);
    const b = Array.from({ length: 20000 }, (_, i) => `right ${i}`);
    const d = diffLines(['head', ...a, 'tail'], ['head', ...b, 'tail'], 1);
    expect(d.partial).toBe(true);
    expect(d.blocks[0]).toEqual({ op: 'keep', lines: ['head'] });
    expect(d.lines).toEqual({ added: 20000, removed: 20000, kept: 2 });
  });

  it('scores simhash distance in bits over 64', () => {
    expect(simhashDistance('0000000000000000', '000000000000000f')).toBe(4 / 64);
    expect(simhashDistance(null, '0000000000000000')).toBe(1);
  });
});
