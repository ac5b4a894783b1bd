import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZipReader, ZipWriter } from '../../src/wacz/index.js';
import { tempDir } from '../helpers/tmp.js';
import { missingZipTools, pythonZipList, unzipTest } from './zip-tools.js';

const missing = missingZipTools();
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function writeSample(path: string, dir: string, forceZip64: boolean): Promise<Map<string, Buffer>> {
  const big = randomBytes(3 * 1024 * 1024 + 17);
  const src = join(dir, 'big.bin');
  await writeFile(src, big);
  const contents = new Map<string, Buffer>([
    ['archive/big.warc.gz', big],
    ['empty.txt', Buffer.alloc(0)],
    ['pages/pages.jsonl', Buffer.from('{"format":"json-pages-1.0"}\n', 'utf8')],
    ['indexes/ünïcode name.cdxj', Buffer.from('a 1 {}\n')],
  ]);
  const zip = await ZipWriter.create(path, { forceZip64, mtime: new Date('2024-05-06T07:08:10Z') });
  const written = [];
  written.push(await zip.addFile('archive/big.warc.gz', src));
  for (const [name, data] of [...contents].slice(1)) written.push(await zip.addBuffer(name, data));
  await zip.close();
  for (const w of written) expect(w.sha256).toBe(`sha256:${sha(contents.get(w.name)!)}`);
  return contents;
}

describe.skipIf(missing)('ZipWriter (STORED, streamed, CRC patched into the local header)', () => {
  for (const forceZip64 of [false, true]) {
    it(`writes a ZIP that Info-ZIP unzip, Python's zipfile and our reader read back byte for byte${forceZip64 ? ' (ZIP64 records forced)' : ''}`, async () => {
      const tmp = await tempDir();
      try {
        const path = join(tmp.dir, 'x.zip');
        const contents = await writeSample(path, tmp.dir, forceZip64);
        expect(await unzipTest(path)).toMatch(/No errors detected/);
        const listed = await pythonZipList(path);
        expect(listed.map(([n]) => n)).toEqual([...contents.keys()]);
        for (const [name, method, size, hash] of listed) {
          expect(method).toBe(0);
          expect(size).toBe(contents.get(name)!.length);
          expect(hash).toBe(sha(contents.get(name)!));
        }
        const zip = await ZipReader.open(path);
        for (const e of zip.entries) expect((await zip.read(e)).equals(contents.get(e.name)!)).toBe(true);
      } finally {
        await tmp.cleanup();
      }
    });
  }

  it('refuses a source that gives other than the announced size, naming the entry', async () => {
    const tmp = await tempDir();
    try {
      const zip = await ZipWriter.create(join(tmp.dir, 'x.zip'));
      await expect(zip.addStream('archive/a.warc.gz', 10, [Buffer.alloc(7)])).rejects.toMatchObject({ code: 'JVX_ERR_WACZ_SIZE_CHANGED', entry: 'archive/a.warc.gz' });
      await zip.abort();
    } finally {
      await tmp.cleanup();
    }
  });

  it('reports a file that is not a ZIP with a coded error', async () => {
    const tmp = await tempDir();
    try {
      const path = join(tmp.dir, 'not.zip');
      await writeFile(path, 'hello, this is text and no ZIP at all');
      await expect(ZipReader.open(path)).rejects.toMatchObject({ code: 'JVX_ERR_WACZ_ZIP' });
    } finally {
      await tmp.cleanup();
    }
  });
});
