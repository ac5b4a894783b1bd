import { describe, expect, it } from 'vitest';
import { buildUserAgent, hostKey, normalizeUrl, registeredDomain, UrlError } from '../../src/url/index.js';

describe('normalizeUrl', () => {
  it.each([
    ['HTTP://Example.COM', 'http://example.com/'],
    ['http://example.com:80/a', 'http://example.com/a'],
    ['https://example.com:443/a', 'https://example.com/a'],
    ['https://example.com:8443/a', 'https://example.com:8443/a'],
    ['http://example.com/a#frag', 'http://example.com/a'],
    ['http://example.com/a?b=2&a=1#x', 'http://example.com/a?b=2&a=1'],
    ['http://example.com?', 'http://example.com/?'],
    ['http://bücher.de/ä', 'http://xn--bcher-kva.de/%C3%A4'],
    ['http://example.com/a/../b/./c', 'http://example.com/b/c'],
    ['  http://example.com/x  ', 'http://example.com/x'],
    ['http://[::1]:8080/', 'http://[::1]:8080/'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeUrl(raw)).toBe(expected);
  });

  it('resolves against a base', () => {
    expect(normalizeUrl('../x?q#f', 'http://a.test/b/c/d')).toBe('http://a.test/b/x?q');
    expect(normalizeUrl('//other.test/p', 'https://a.test/')).toBe('https://other.test/p');
  });

  it('keeps query parameter order and encoding as given', () => {
    expect(normalizeUrl('http://a.test/?z=1&a=%2F&a=2')).toBe('http://a.test/?z=1&a=%2F&a=2');
  });

  it('rejects unparsable input with JVX_ERR_URL_INVALID and the input', () => {
    for (const raw of ['not a url', '', 'http://', 'http://exa mple.com/']) {
      let err: unknown;
      try {
        normalizeUrl(raw);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UrlError);
      expect(err).toMatchObject({ code: 'JVX_ERR_URL_INVALID', input: raw });
    }
  });

  it('rejects other schemes with JVX_ERR_URL_SCHEME', () => {
    for (const raw of ['ftp://a.test/x', 'mailto:a@b.test', 'javascript:alert(1)', 'file:///etc/passwd', 'data:text/plain,hi']) {
      expect(() => normalizeUrl(raw)).toThrow(expect.objectContaining({ code: 'JVX_ERR_URL_SCHEME', input: raw }));
    }
  });
});

describe('hostKey', () => {
  it.each([
    ['http://a.test/x', 'a.test'],
    ['http://a.test:8080/x', 'a.test'],
    ['HTTP://WWW.A.Test/x', 'www.a.test'],
    ['http://localhost:3000/', 'localhost'],
    ['http://127.0.0.1:8080/', '127.0.0.1'],
    ['http://[::1]:8080/', '[::1]'],
    ['http://user:pw@a.test/x', 'a.test'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['https://xn--bcher-kva.de/', 'xn--bcher-kva.de'],
    ['http://a.test?q', 'a.test'],
  ])('%s → %s', (url, expected) => {
    expect(hostKey(url)).toBe(expected);
  });
});

describe('registeredDomain', () => {
  it.each([
    ['www.example.com', 'example.com'],
    ['a.b.example.co.uk', 'example.co.uk'],
    ['example.com', 'example.com'],
    ['alice.github.io', 'alice.github.io'],
    ['h1.jarvix.test', 'jarvix.test'],
  ])('%s → %s', (host, expected) => {
    expect(registeredDomain(host)).toBe(expected);
  });

  it('is null for IP addresses and bare suffixes', () => {
    expect(registeredDomain('127.0.0.1')).toBeNull();
    expect(registeredDomain('co.uk')).toBeNull();
  });
});

describe('buildUserAgent', () => {
  it('is identifiable, with the contact URL when given', () => {
    expect(buildUserAgent({ version: '0.1.0' })).toBe('jarvix/0.1.0');
    expect(buildUserAgent({ version: '0.1.0', contactUrl: 'https://example.org/crawler' })).toBe('jarvix/0.1.0 (+https://example.org/crawler)');
    expect(buildUserAgent({ version: '1.2.3-beta.1', contactUrl: 'mailto:ops@example.org' })).toBe('jarvix/1.2.3-beta.1 (+mailto:ops@example.org)');
  });

  it('rejects a contact that is not a URL, and a bad version', () => {
    expect(() => buildUserAgent({ version: '0.1.0', contactUrl: 'call me' })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID' }));
    expect(() => buildUserAgent({ version: '0.1.0', contactUrl: 'ftp://x.test/' })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID' }));
    expect(() => buildUserAgent({ version: '0 1' })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID' }));
  });
});
