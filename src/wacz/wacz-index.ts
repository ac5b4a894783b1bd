import { access, open } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cdxjNameFor } from '../warc/file-names.js';
import { LineAppender, mergeRuns, readLines } from '../warc/line-files.js';
import { writeCdxjFor } from '../warc/index-warc.js';

/**
 * Below this many CDXJ lines the WACZ carries one plain `indexes/index.cdxj`, which ReplayWeb.page
 * loads whole when it opens the package; from it on, a ZipNum index (`index.cdx.gz` in blocks +
 * `index.idx`), of which a reader loads only the blocks a lookup needs. 3,000 lines are ~1 MB of
 * CDXJ: loading that whole costs less than the extra round trips of a ZipNum lookup.
 */
export const ZIPNUM_MIN_LINES = 3000;
/** Lines per gzip block of a ZipNum index; archiveweb.page and py-wacz use 1024. */
export const ZIPNUM_BLOCK_LINES = 1024;
/** The format tag ZipNum readers (wabac.js, pywb) expect on the `!meta` line of `index.idx`. */
export const ZIPNUM_FORMAT = 'cdxj-gzip-1.0';

export type WaczIndex =
  | { kind: 'cdxj'; lines: number; cdxj: string }
  | { kind: 'zipnum'; lines: number; blocks: number; cdxGz: string; idx: string };

/**
 * One sorted CDXJ of all the given WARCs (their `filename` fields are base names, which is what
 * the package's `archive/` holds), merged from the run's per-file CDXJ with one line per input in
 * memory. A WARC without its CDXJ (a crash before it was sorted) is indexed into `workDir` first.
 */
export async function mergedCdxj(warcDir: string, indexDir: string, warcNames: readonly string[], workDir: string): Promise<{ path: string; lines: number }> {
  const inputs: string[] = [];
  for (const name of warcNames) {
    const cdxj = join(indexDir, cdxjNameFor(name));
    const exists = await access(cdxj).then(() => true, () => false);
    if (exists) inputs.push(cdxj);
    else {
      const built = join(workDir, cdxjNameFor(name));
      await writeCdxjFor(join(warcDir, name), built, name);
      inputs.push(built);
    }
  }
  const path = join(workDir, 'all.cdxj');
  await mergeRuns(inputs, path);
  let lines = 0;
  for await (const _ of readLines(path)) lines++;
  return { path, lines };
}

/** Turns the merged CDXJ into what the package carries: itself when small, a ZipNum index otherwise. */
export async function waczIndexOf(merged: { path: string; lines: number }, workDir: string, o: { zipNumMinLines: number; zipNumBlockLines: number }): Promise<WaczIndex> {
  if (merged.lines < o.zipNumMinLines) return { kind: 'cdxj', lines: merged.lines, cdxj: merged.path };
  const cdxGz = join(workDir, 'index.cdx.gz');
  const idx = join(workDir, 'index.idx');
  const gz = await open(cdxGz, 'w');
  const out = await LineAppender.open(idx, 'w');
  let offset = 0;
  let blocks = 0;
  let block: string[] = [];
  const flush = async (): Promise<void> => {
    if (block.length === 0) return;
    // Each block is its own gzip member: a reader fetches [offset, offset+length) and gunzips it.
    const member = gzipSync(Buffer.from(`${block.join('\n')}\n`, 'utf8'));
    await gz.write(member);
    const first = block[0]!;
    const key = first.slice(0, first.indexOf(' ', first.indexOf(' ') + 1));
    await out.add(`${key} ${JSON.stringify({ offset, length: member.length })}`);
    offset += member.length;
    blocks++;
    block = [];
  };
  try {
    await out.add(`!meta 0 ${JSON.stringify({ format: ZIPNUM_FORMAT, filename: 'index.cdx.gz' })}`);
    for await (const line of readLines(merged.path)) {
      block.push(line);
      if (block.length >= o.zipNumBlockLines) await flush();
    }
    await flush();
  } finally {
    await gz.close();
    await out.close();
  }
  return { kind: 'zipnum', lines: merged.lines, blocks, cdxGz, idx };
}
