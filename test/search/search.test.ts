import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildRunIndex, RunSearcher, parseQuery, searchHttp } from '../../src/search/index.js';
import { tempDir } from '../helpers/tmp.js';
import { bruteForce } from './brute-force.js';
import { fixturePages, runDirOf, writeRun, type FixturePage } from './fixture.js';

/**
 * Every query feature against a brute-force scan of the same pages: the index must find exactly
 * the pages that reading every chunk finds, in Latin, Cyrillic, Greek and CJK text, folded.
 */
describe('search over a run', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let pages: FixturePage[];
  let runDir: string;
  let searcher: RunSearcher;

  beforeAll(async () => {
    tmp = await tempDir();
    pages = fixturePages(400, 3);
    runDir = runDirOf(tmp.dir, 'fx');
    await writeRun(runDir, pages);
    const r = await rebuildRunIndex(runDir);
    expect(r.pages).toBe(pages.length);
    searcher = new RunSearcher(runDir);
  });
  afterAll(async () => {
    searcher?.close();
    await tmp?.cleanup();
  });

  /** Every result of a query, page by page. */
  function everyResult(q: string, o: Parameters<RunSearcher['search']>[1] = {}): { url: string; relevance: number }[] {
    const out: { url: string; relevance: number }[] = [];
    for (let offset = 0; ; offset += 100) {
      const r = searcher.search(q, { ...o, limit: 100, offset, candidateBudget: 1_000_000 });
      out.push(...r.results);
      if (r.results.length < 100) return out;
    }
  }

  const queries = [
    'coffee',
    'coffee machine',
    '"coffee machine"',
    '"free shipping" -refurbished',
    'espresso OR kettle',
    'espresso OR kettle grinder',
    'coffee -machine -price',
    'site:example.com coffee',
    'site:shop.example.com',
    'site:кафе.рф кофе',
    'esp*',
    '"coffee mach"*',
    'cafe',
    'CAFÉ crème',
    'creme brulee',
    'zurich',
    'garcon manana',
    'КОФЕ',
    'елка',
    'ελληνικα',
    'οδος',
    'καφες τιμη',
    '東京',
    '京都',
    '東京都',
    '珈琲',
    'コーヒー',
    '北京 大学',
    'email',
    'e-mail',
    'wi-fi',
    'usb-c',
    'iphone',
    'near(coffee',
    'body:coffee',
    '^coffee',
    'rank',
  ];

  for (const q of queries) {
    it(`finds what a brute-force scan finds: ${q}`, () => {
      const want = bruteForce(pages, parseQuery(q));
      const got = everyResult(q);
      expect(new Set(got.map((h) => h.url))).toEqual(want);
      expect(got.length).toBe(want.size);
      // Ranked: relevance never rises down the list, across pages too.
      for (let i = 1; i < got.length; i++) expect(got[i]!.relevance).toBeLessThanOrEqual(got[i - 1]!.relevance);
      const first = searcher.search(q, { limit: 100, candidateBudget: 1_000_000 });
      if (first.totalExact) expect(first.total).toBe(want.size);
      else expect(first.total).toBeLessThanOrEqual(want.size);
    });
  }

  it('filters by host, action and capture time as the brute-force scan does', () => {
    const fromMs = pages[50]!.fetchMs;
    const toMs = pages[250]!.fetchMs;
    const want = bruteForce(pages, parseQuery('coffee site:example.com'), { action: 'BUY', fromMs, toMs });
    const got = everyResult('coffee', { host: 'EXAMPLE.com', action: 'BUY', from: new Date(fromMs).toISOString(), to: toMs });
    expect(want.size).toBeGreaterThan(0);
    expect(new Set(got.map((h) => h.url))).toEqual(want);
  });

  it('finds accented, cased and non-Latin words from their plain forms', () => {
    const urls = (q: string): string[] => everyResult(q).map((h) => h.url);
    const withWord = (w: string): string[] => pages.filter((p) => `${p.title} ${p.chunks.join(' ')}`.includes(w)).map((p) => p.url);
    expect(urls('cafe')).toEqual(expect.arrayContaining(withWord('café').slice(0, 5)));
    expect(urls('кофе')).toEqual(expect.arrayContaining(withWord('Кофе').slice(0, 5)));
    expect(urls('οδος')).toEqual(expect.arrayContaining(withWord('ΟΔΟΣ').slice(0, 5)));
    expect(urls('東京')).toEqual(expect.arrayContaining(withWord('東京都').slice(0, 5)));
    expect(withWord('café').length).toBeGreaterThan(0);
  });

  it('pages through results without overlap, and a small candidate budget returns true matches only', () => {
    const all = searcher.search('coffee', { limit: 30, candidateBudget: 1_000_000 }).results.map((h) => h.url);
    const a = searcher.search('coffee', { limit: 15, candidateBudget: 1_000_000 }).results.map((h) => h.url);
    const b = searcher.search('coffee', { limit: 15, offset: 15, candidateBudget: 1_000_000 }).results.map((h) => h.url);
    expect([...a, ...b]).toEqual(all);
    const want = bruteForce(pages, parseQuery('coffee'));
    const cut = searcher.search('coffee', { limit: 10, candidateBudget: 64 });
    for (const h of cut.results) expect(want.has(h.url)).toBe(true);
    expect(cut.total).toBeLessThanOrEqual(want.size);
  });

  it('marks the matched words in the snippet and links into replay', () => {
    const r = searcher.search('espresso', { limit: 3 });
    expect(r.results.length).toBeGreaterThan(0);
    for (const h of r.results) {
      expect(h.marks.length).toBeGreaterThan(0);
      for (const [a, b] of h.marks) expect(h.snippet.slice(a, b).toLowerCase()).toBe('espresso');
      expect(h.snippetHtml).toContain('<mark>');
      expect(h.replay).toMatch(/^\/web\/\d{14}\/https:\/\//);
      expect(h.replay!.endsWith(h.url)).toBe(true);
    }
  });

  it('answers GET /search parameters with JSON, and bad input with a coded 400', () => {
    const ok = searchHttp(searcher, new URLSearchParams({ q: 'coffee', limit: '5', action: 'buy' }));
    expect(ok.status).toBe(200);
    expect('results' in ok.body && ok.body.results.length).toBe(5);
    const bad = searchHttp(searcher, new URLSearchParams({ q: '"open' }));
    expect(bad.status).toBe(400);
    expect('error' in bad.body && bad.body.error.code).toBe('JVX_ERR_SEARCH_QUERY_INVALID');
    const lim = searchHttp(searcher, new URLSearchParams({ q: 'coffee', limit: 'lots' }));
    expect('error' in lim.body && lim.body.error.code).toBe('JVX_ERR_OPTION_INVALID');
    const unk = searchHttp(searcher, new URLSearchParams({ q: 'coffee', sort: 'x' }));
    expect('error' in unk.body && unk.body.error.code).toBe('JVX_ERR_OPTION_UNKNOWN');
  });
});
