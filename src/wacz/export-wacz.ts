import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runPaths } from '../run/run-paths.js';
import { SOFTWARE } from '../version.js';
import { isWarcFileName } from '../warc/file-names.js';
import { dataPackage, dataPackageDigest } from './datapackage.js';
import { WaczEmptyRunError } from './errors.js';
import { mergedCdxj, waczIndexOf, ZIPNUM_BLOCK_LINES, ZIPNUM_MIN_LINES, type WaczIndex } from './wacz-index.js';
import { writePages } from './wacz-pages.js';
import { ZipWriter } from './zip-writer.js';
import { commitFile } from '../fs/index.js';

export interface ExportWaczOptions {
  dataDir: string;
  runId: string;
  /** The .wacz to write; written as `<out>.tmp` and renamed when whole. */
  out: string;
  /** Index lines from which a ZipNum index is written instead of one plain CDXJ. */
  zipNumMinLines?: number;
  zipNumBlockLines?: number;
  maxTextChars?: number;
  /** Write ZIP64 records even when nothing needs them (tests of ZIP64 readers). */
  forceZip64?: boolean;
}

export interface ExportWaczResult {
  readonly path: string;
  readonly bytes: number;
  readonly warcs: number;
  readonly index: { kind: WaczIndex['kind']; lines: number };
  readonly pages: number;
  readonly pagesWithText: number;
  readonly pagesUnreadable: number;
}

/**
 * Packs a run as WACZ 1.1.1: `archive/` (the run's WARCs, byte for byte), `indexes/` (one sorted
 * CDXJ, or ZipNum once large), `pages/pages.jsonl`, `datapackage.json` (every resource's sha256
 * and size, computed while it is written) and `datapackage-digest.json`. Every entry is STORED so
 * a reader can range-read records and index blocks. Index and pages are built in a work folder
 * beside the output first (their sizes must be known before their ZIP headers), so the disk needs
 * room for the package plus those two.
 */
export async function exportWacz(o: ExportWaczOptions): Promise<ExportWaczResult> {
  const paths = runPaths(o.dataDir, o.runId);
  const names = (await readdir(paths.warcDir).catch(() => [] as string[])).filter(isWarcFileName).sort();
  if (names.length === 0) throw new WaczEmptyRunError(paths.root);
  await mkdir(dirname(o.out), { recursive: true });
  const work = `${o.out}.parts`;
  const tmp = `${o.out}.tmp`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const created = new Date();
  const zip = await ZipWriter.create(tmp, { mtime: created, forceZip64: o.forceZip64 ?? false });
  try {
    for (const name of names) await zip.addFile(`archive/${name}`, join(paths.warcDir, name));
    const merged = await mergedCdxj(paths.warcDir, paths.indexDir, names, work);
    const index = await waczIndexOf(merged, work, { zipNumMinLines: o.zipNumMinLines ?? ZIPNUM_MIN_LINES, zipNumBlockLines: o.zipNumBlockLines ?? ZIPNUM_BLOCK_LINES });
    if (index.kind === 'cdxj') await zip.addFile('indexes/index.cdxj', index.cdxj);
    else {
      await zip.addFile('indexes/index.cdx.gz', index.cdxGz);
      await zip.addFile('indexes/index.idx', index.idx);
    }
    const pages = await writePages(paths.root, work, { maxTextChars: o.maxTextChars ?? 100_000, maxBodyBytes: 64 * 1024 * 1024 });
    await zip.addFile('pages/pages.jsonl', pages.path);
    const pkg = Buffer.from(`${JSON.stringify(dataPackage(zip.entries, { title: `jarvix run ${o.runId}`, software: SOFTWARE, created }), null, 2)}\n`, 'utf8');
    await zip.addBuffer('datapackage.json', pkg);
    await zip.addBuffer('datapackage-digest.json', Buffer.from(`${JSON.stringify(dataPackageDigest(pkg), null, 2)}\n`, 'utf8'));
    await zip.close();
    await commitFile(tmp, o.out);
    return {
      path: o.out,
      bytes: (await stat(o.out)).size,
      warcs: names.length,
      index: { kind: index.kind, lines: index.lines },
      pages: pages.pages,
      pagesWithText: pages.withText,
      pagesUnreadable: pages.unreadable,
    };
  } catch (err) {
    await zip.abort();
    await rm(tmp, { force: true });
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
