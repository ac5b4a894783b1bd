import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/index.js';
import { pickHeadline } from '../../src/extract/headline.js';
import { fixtures, fixtureUrl } from '../fixtures/extraction/layouts.js';
import { scoreAll } from '../fixtures/extraction/score.js';

const byName = new Map(fixtures().map((f) => [f.name, f]));
const extract = (name: string) => {
  const f = byName.get(name)!;
  return extractPage({ url: fixtureUrl(f), body: Buffer.from(f.html), contentType: 'text/html; charset=utf-8', status: 200 });
};

describe('headline', () => {
  it('is the article title without the site name, in several scripts and separators', () => {
    expect(extract('news-en').headline).toBe('City council approves new tram line to the eastern harbour');
    expect(extract('news-el').title).toBe('Νέα ποδηλατόδρομος συνδέει το κέντρο με την παραλία :: Η Φωνή του Λιμανιού');
    expect(extract('news-el').headline).toBe('Νέα ποδηλατόδρομος συνδέει το κέντρο με την παραλία');
    expect(extract('forum-de').headline).toBe('Stadtwerke senken die Fernwärmepreise zum Jahreswechsel');
    expect(extract('docs-ja').headline).toBe('市立図書館が開館時間を夜九時まで延長へ');
    expect(extract('product-ru').headline).toBe('В городе откроют три новые библиотеки к началу учебного года');
  });

  it('cuts the site name from <title> when nothing better is on the page, and ignores a structured title the page contradicts', () => {
    const base = { h1: null, jsonLdHeadline: null, ogTitle: null, twitterTitle: null, siteName: null, host: 'www.dailyplanet.example' };
    expect(pickHeadline({ ...base, title: 'Daily Planet | Rocket lands on the moon again' })).toBe('Rocket lands on the moon again');
    expect(pickHeadline({ ...base, title: 'Rocket lands on the moon again - Some Paper', siteName: 'Some Paper' })).toBe('Rocket lands on the moon again');
    expect(pickHeadline({ ...base, title: 'A co-op e-mail guide', h1: 'A co-op e-mail guide' })).toBe('A co-op e-mail guide');
    expect(pickHeadline({ ...base, title: 'Weather today', h1: 'Weather today', ogTitle: 'Subscribe now for half price' })).toBe('Weather today');
  });
});

describe('fallback rule', () => {
  it('never returns almost nothing from a page full of text, and says so in extraction_fallback', () => {
    for (const name of ['bug-en', 'bug-ru', 'video-es']) {
      const ex = extract(name);
      expect(ex.extractionFallback, name).toBe('text-too-short');
      const f = byName.get(name)!;
      // The thread and the transcript are all there, the site's chrome is not.
      for (const p of f.expected.text.split('\n\n').slice(-2)) expect(ex.text, name).toContain(p.split(' ').slice(-4).join(' '));
      expect(ex.text, name).not.toContain('All rights reserved');
    }
  });

  it('is not used when the main content is found', () => {
    const ex = extract('news-de');
    expect(ex.extractionFallback).toBeNull();
    expect(ex.text).not.toMatch(/cookies|Subscribe|More stories|Finally!|Imprint/);
    expect(ex.text).toContain('Wärmepumpen am Flussufer');
  });

  it('takes the whole visible text when main holds a sliver of a long body', () => {
    const filler = Array.from({ length: 30 }, (_, i) => `<p>Paragraph ${i} of the real story, which the page keeps outside its article element.</p>`).join('');
    const html = `<html><body><article><p>${'A teaser the page puts in its article element. '.repeat(5)}</p></article>${filler}</body></html>`;
    const ex = extractPage({ url: 'http://a.test/', body: Buffer.from(html), contentType: 'text/html', status: 200 });
    expect(ex.extractionFallback).toBe('main-too-short');
    expect(ex.text).toContain('Paragraph 29 of the real story');
  });
});

describe('main text', () => {
  it('keeps headings, code and tables, drops menus and link-dense lists without a telling class', () => {
    const docs = extract('docs-en');
    expect(docs.text).toContain('console.log(line.lengthKm);');
    expect(docs.text).toContain('stops 9');
    expect(docs.text).not.toContain('Getting started');
    const blog = extract('blog-zh');
    expect(blog.text).toContain('老城区');
    for (const other of ['City council approves', '2026-03', 'RSS']) expect(blog.text).not.toContain(other);
  });

  it('meets the quality targets on these fixtures', () => {
    const scores = scoreAll();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(scores.length).toBeGreaterThanOrEqual(20);
    expect(mean(scores.map((s) => s.headlineF1))).toBeGreaterThanOrEqual(0.95);
    expect(mean(scores.map((s) => s.textF1))).toBeGreaterThanOrEqual(0.92);
  });
});
