import { describe, expect, it } from 'vitest';
import { hammingDistance, sha1Hex, simhash64 } from '../../src/extract/index.js';
import { fingerprint } from '../../src/extract/simhash.js';

const words = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango'.split(' ');
function text(seed: number, n: number): string {
  const out: string[] = [];
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(words[x % words.length]!);
  }
  return out.join(' ');
}

describe('content fingerprints', () => {
  it('near-duplicate texts have close simhashes, unrelated texts distant ones', () => {
    const a = text(1, 600);
    const b = a.replace(/\bkilo\b/, 'KILOGRAM');
    const c = text(2, 600);
    expect(hammingDistance(simhash64(a), simhash64(b))).toBeLessThanOrEqual(6);
    expect(hammingDistance(simhash64(a), simhash64(c))).toBeGreaterThanOrEqual(12);
  });

  it('ignores case and punctuation but not word order', () => {
    expect(simhash64('The Quick brown fox, jumps!')).toBe(simhash64('the quick BROWN fox jumps'));
    expect(simhash64('one two three four five six')).not.toBe(simhash64('six five four three two one'));
    expect(simhash64('')).toBe('0000000000000000');
    expect(simhash64('Ünïcödé wörds')).toBe(simhash64('üNÏCÖDÉ WÖRDS'));
  });

  it('counts words, joining apostrophes and hyphens inside a word', () => {
    expect(fingerprint("Don't stop the e-mail — 3 times, O’Neil said.").wordCount).toBe(8);
    expect(fingerprint('').wordCount).toBe(0);
    expect(fingerprint('日本語 テキスト').wordCount).toBe(2);
  });

  it('sha1Hex is the sha1 of the UTF-8 text', () => {
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});
