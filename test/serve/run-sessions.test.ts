import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../src/serve/index.js';
import { writeCdxjFor } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { writeLoneWarc } from './fixtures.js';

describe('a run collected again', () => {
  it('serves both captures of a URL and indexes only the new WARC on the next start', async () => {
    const tmp = await tempDir('jarvix-serve-sessions-');
    try {
      const warc = join(tmp.dir, 'runs', 'again', 'warc');
      const index = join(tmp.dir, 'runs', 'again', 'index');
      await mkdir(warc, { recursive: true });
      await mkdir(index, { recursive: true });
      const url = 'http://news.example/';
      await writeLoneWarc(join(warc, 'a.warc'), url, 'first edition of the news page, with some words in it');
      await writeCdxjFor(join(warc, 'a.warc'), join(index, 'a.warc.cdxj'));
      const first = await openArchive({ dataDir: tmp.dir, runs: ['again'], warcs: [], wacz: [] });
      expect(first.summary).toMatchObject({ files: 1, filesIndexed: 1, captures: 1 });
      first.context.index.close();
      // The second session of collect wrote another WARC and its CDXJ.
      await writeLoneWarc(join(warc, 'b.warc'), url, 'second edition of the news page, with other words in it', '2024-04-04T00:00:00Z');
      await writeCdxjFor(join(warc, 'b.warc'), join(index, 'b.warc.cdxj'));
      const second = await openArchive({ dataDir: tmp.dir, runs: ['again'], warcs: [], wacz: [] });
      try {
        expect(second.indexPath).toBe(first.indexPath);
        expect(second.summary).toMatchObject({ files: 2, filesIndexed: 1, captures: 1 });
        const caps = [...second.context.index.query(url)];
        expect(caps.map((c) => c.timestamp)).toEqual(['20240303000000', '20240404000000']);
        expect(caps[0]!.change).toBeNull();
        expect(caps[1]!.change).toBeGreaterThan(0);
        expect(second.context.index.nearest(url, caps[0]!.urlkey, '20240401000000')!.timestamp).toBe('20240404000000');
      } finally {
        second.context.index.close();
      }
    } finally {
      await tmp.cleanup();
    }
  });
});
