import { join } from 'node:path';
import { createLoader, ZipRangeReader } from '@webrecorder/wabac';
import { WARCParser } from 'warcio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportWacz } from '../../src/wacz/index.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';
import { tempDir } from '../helpers/tmp.js';
import { collectRun } from './collected-run.js';

/** Lines of one zip entry (or one unzipped range of it) as wabac.js reads them. */
async function lines(zip: ZipRangeReader, name: string, range: { offset?: number; length?: number; unzip?: boolean } = {}): Promise<string[]> {
  const { reader } = await zip.loadFile(name, range);
  const out: string[] = [];
  for await (const line of reader.iterLines()) if (line.trim() !== '') out.push(line.trim());
  return out;
}

/**
 * wabac.js (the engine inside ReplayWeb.page) reading a jarvix WACZ over HTTP by range, in Node,
 * the way its MultiWACZ does: ZipRangeReader for the ZIP (ZIP64 included), the ZipNum `.idx`, each
 * block of `index.cdx.gz` unzipped from its range, then each record from the offset in its line.
 */
describe('@webrecorder/wabac reads a jarvix WACZ and its index', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let files: StaticServer;
  let urls: string[];

  beforeAll(async () => {
    tmp = await tempDir();
    urls = (await collectRun(tmp.dir, 'wb', 9)).urls;
    await exportWacz({ dataDir: tmp.dir, runId: 'wb', out: join(tmp.dir, 'plain.wacz') });
    await exportWacz({ dataDir: tmp.dir, runId: 'wb', out: join(tmp.dir, 'zipnum.wacz'), zipNumMinLines: 2, zipNumBlockLines: 4, forceZip64: true });
    files = await startStaticServer(null, { '/plain.wacz': join(tmp.dir, 'plain.wacz'), '/zipnum.wacz': join(tmp.dir, 'zipnum.wacz') });
  }, 120_000);
  afterAll(async () => {
    await files?.close();
    await tmp?.cleanup();
  });

  async function open(name: string): Promise<ZipRangeReader> {
    const zip = new ZipRangeReader(await createLoader({ url: `${files.origin}/${name}` }));
    await zip.load();
    return zip;
  }

  /** Reads each CDXJ line's record through wabac's range reader and warcio's parser; returns the URLs met. */
  async function recordsOf(zip: ZipRangeReader, cdxj: string[]): Promise<string[]> {
    const seen: string[] = [];
    for (const line of cdxj) {
      const json = JSON.parse(line.slice(line.indexOf(' {') + 1)) as { url: string; offset: string; length: string; filename: string };
      const { reader } = await zip.loadFile(`archive/${json.filename}`, { offset: Number(json.offset), length: Number(json.length), unzip: true });
      const record = await WARCParser.parse(reader);
      expect(record?.warcTargetURI).toBe(json.url);
      seen.push(json.url);
    }
    return seen;
  }

  it('a plain indexes/index.cdxj: every line leads to its record', async () => {
    const zip = await open('plain.wacz');
    expect(Object.keys(zip.entries!)).toContain('indexes/index.cdxj');
    const cdxj = await lines(zip, 'indexes/index.cdxj');
    const seen = await recordsOf(zip, cdxj);
    for (const u of urls) expect(seen).toContain(u);
  });

  it('a ZipNum index (ZIP64 records): the idx blocks unzip from their ranges into lines that lead to their records', async () => {
    const zip = await open('zipnum.wacz');
    const idx = await lines(zip, 'indexes/index.idx');
    expect(idx[0]).toMatch(/^!meta 0 \{"format":"cdxj-gzip-1.0"/);
    const cdxj: string[] = [];
    for (const line of idx.slice(1)) {
      const { offset, length } = JSON.parse(line.slice(line.indexOf(' {') + 1)) as { offset: number; length: number };
      const block = await lines(zip, 'indexes/index.cdx.gz', { offset, length, unzip: true });
      expect(block[0]!.startsWith(`${line.slice(0, line.indexOf(' {'))} `)).toBe(true);
      cdxj.push(...block);
    }
    expect(cdxj.length).toBe(9 + 3);
    const seen = await recordsOf(zip, cdxj);
    for (const u of urls) expect(seen).toContain(u);
    expect(files.requests.some((r) => r.startsWith('GET /zipnum.wacz bytes='))).toBe(true);
  });
});
