import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery, rebuildRunIndex, RunSearcher, SearchQueryError } from '../../src/search/index.js';
import { tempDir } from '../helpers/tmp.js';
import { fixturePages, runDirOf, writeRun } from './fixture.js';

/** Whatever a user types, the answer is results or a SearchQueryError with a code: never an SQL error. */
describe('hostile queries', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let searcher: RunSearcher;

  beforeAll(async () => {
    tmp = await tempDir();
    const runDir = runDirOf(tmp.dir, 'h');
    await writeRun(runDir, fixturePages(60, 5));
    await rebuildRunIndex(runDir);
    searcher = new RunSearcher(runDir);
  });
  afterAll(async () => {
    searcher?.close();
    await tmp?.cleanup();
  });

  const codeOf = (q: string): string | null => {
    try {
      searcher.search(q);
      return null;
    } catch (err) {
      expect(err).toBeInstanceOf(SearchQueryError);
      return (err as SearchQueryError).code;
    }
  };

  it('rejects an unbalanced quote with its position', () => {
    expect(codeOf('coffee "free shipping')).toBe('JVX_ERR_SEARCH_QUERY_INVALID');
    try {
      parseQuery('coffee "free shipping');
    } catch (err) {
      expect((err as SearchQueryError).position).toBe(7);
      expect((err as Error).message).toContain('unbalanced quote');
    }
  });

  it('reads FTS5 syntax as plain words, never as syntax', () => {
    for (const q of ['NEAR(coffee machine)', 'coffee AND machine', 'coffee NOT machine', 'body:coffee', '{body meta}: coffee', 'coffee^', '^coffee', '+coffee', 'coffee)', '(((coffee', 'meta : "x"', "coffee' OR 1=1 --", 'a"b"c', 'coffee -', 'coffee --machine']) {
      expect(codeOf(q), q).toBeNull();
    }
    // The meta column (filters) cannot be reached from a query.
    expect(searcher.search('meta : coffee').results.every((h) => h.url.startsWith('https://'))).toBe(true);
  });

  it('answers a lone *, a bare OR, only exclusions, or only punctuation with a clear code', () => {
    expect(codeOf('*')).toBe('JVX_ERR_SEARCH_QUERY_EMPTY');
    expect(codeOf('^ ( ) :')).toBe('JVX_ERR_SEARCH_QUERY_EMPTY');
    expect(codeOf('-coffee')).toBe('JVX_ERR_SEARCH_QUERY_EMPTY');
    expect(codeOf('')).toBe('JVX_ERR_SEARCH_QUERY_EMPTY');
    expect(codeOf('OR')).toBe('JVX_ERR_SEARCH_QUERY_INVALID');
    expect(codeOf('coffee OR')).toBe('JVX_ERR_SEARCH_QUERY_INVALID');
    expect(codeOf('coffee OR OR tea')).toBe('JVX_ERR_SEARCH_QUERY_INVALID');
    expect(codeOf('coffee OR -tea')).toBe('JVX_ERR_SEARCH_QUERY_INVALID');
    expect(codeOf('c*')).toBe('JVX_ERR_SEARCH_QUERY_INVALID');
    expect(codeOf('site:')).toBe('JVX_ERR_SEARCH_QUERY_INVALID');
    expect(codeOf('site:http://x/y')).toBe('JVX_ERR_SEARCH_QUERY_INVALID');
  });

  it('rejects 10 KB of text and too many words with JVX_ERR_SEARCH_QUERY_TOO_LONG', () => {
    expect(codeOf('coffee '.repeat(1500))).toBe('JVX_ERR_SEARCH_QUERY_TOO_LONG');
    expect(codeOf(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))).toBe('JVX_ERR_SEARCH_QUERY_TOO_LONG');
  });

  it('rejects control characters, naming them', () => {
    for (const c of ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085']) {
      expect(codeOf(`coffee${c}machine`)).toBe('JVX_ERR_SEARCH_QUERY_INVALID');
    }
    expect(() => parseQuery('a\u0007b')).toThrow(/U\+0007/);
    // Tabs and newlines are spaces.
    expect(codeOf('coffee\tmachine\nprice')).toBeNull();
  });

  it('survives a very long word and odd Unicode', () => {
    expect(codeOf('x'.repeat(900))).toBeNull();
    expect(codeOf('☕ 🙂 coffee')).toBeNull();
    expect(codeOf('\ud800 coffee')).toBeNull();
    expect(codeOf('⑴ ﬁ Ａ')).toBeNull();
  });
});
