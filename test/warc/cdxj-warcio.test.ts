import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cdxjEntriesOf, formatCdxj } from '../../src/warc/index.js';
import { tempDir } from '../helpers/tmp.js';
import { collectRun } from '../wacz/collected-run.js';

const WARCIO_CLI = fileURLToPath(new URL('../../node_modules/warcio/dist/cli.js', import.meta.url));

/**
 * Our CDXJ against warcio.js's own command line (`warcio cdx-index FILE`), on a WARC written by a
 * real collect: pages, a 404, robots.txt and a payload archived twice (a revisit).
 * The one documented difference (docs/warc.md): warcio prints lines in file order, we sort them.
 */
describe('CDXJ equals what warcio.js cdx-index writes', () => {
  it('line for line, once warcio’s file-order output is sorted', async () => {
    const tmp = await tempDir();
    try {
      const { urls } = await collectRun(tmp.dir, 'cx', 6, {}, (web) => [web.url(0, 1) + '?again=1', web.url(1, 0) + 'does-not-exist', web.url(2, 0) + 'robots.txt']);
      const dir = join(tmp.dir, 'runs', 'cx', 'warc');
      const [file] = await readdir(dir);
      const path = join(dir, file!);
      const { stdout } = await promisify(execFile)(process.execPath, [WARCIO_CLI, 'cdx-index', path], { maxBuffer: 64 * 1024 * 1024 });
      const theirs = stdout.split('\n').filter((l) => l !== '');
      const ours: string[] = [];
      for await (const e of cdxjEntriesOf(path)) ours.push(formatCdxj(e));
      expect(ours.length).toBeGreaterThanOrEqual(urls.length);
      expect([...ours].sort()).toEqual([...theirs].sort());
      const statuses = new Set(ours.map((l) => (JSON.parse(l.slice(l.indexOf(' {') + 1)) as { status: string }).status));
      expect(statuses.has('404')).toBe(true);
      expect(ours.some((l) => l.includes('"mime":"warc/revisit"'))).toBe(true);
      // The full reader (every block inflated) agrees too.
      const full: string[] = [];
      for await (const e of cdxjEntriesOf(path, { fullRead: true })) full.push(formatCdxj(e));
      expect(full).toEqual(ours);
    } finally {
      await tmp.cleanup();
    }
  }, 120_000);
});
