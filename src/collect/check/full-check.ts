import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { listShards, readShard, shardRowCount, TABLE_NAMES, type ShardName } from '../../dataset/index.js';
import { errorMessage } from '../../errors/index.js';
import { cdxjEntriesOf, formatCdxj, readRecordAt } from '../../warc/index.js';
import { cdxjNameFor, isWarcFileName } from '../../warc/file-names.js';
import { PROBLEM, type CheckProblem, type CheckProgress, type ProblemList } from './problems.js';

export interface FullCheckFigures {
  shards: number;
  rows: number;
  pointers: number;
  warcs: number;
  indexEntries: number;
}

/**
 * The full check, after the cheap one: every visible shard reads to its footer's row count, every
 * WARC pointer of a `pages` row resolves to a whole record of the stated length, and each CDXJ
 * index holds exactly the entries its WARC yields (compared as a multiset hash, so memory stays
 * flat however large the files). Streams everything; reads each WARC once more per pointer.
 */
export async function fullCheck(runDir: string, problems: ProblemList, onProgress: CheckProgress = () => {}): Promise<FullCheckFigures> {
  const figures: FullCheckFigures = { shards: 0, rows: 0, pointers: 0, warcs: 0, indexEntries: 0 };
  const shards: ShardName[] = [];
  for (const table of TABLE_NAMES) shards.push(...(await listShards(runDir, table)));
  for (const s of shards) {
    onProgress('shards', figures.shards, shards.length);
    figures.shards++;
    await checkShard(runDir, s, problems, figures);
  }
  onProgress('shards', figures.shards, shards.length);

  const warcNames = (await readdir(join(runDir, 'warc')).catch(() => [] as string[])).filter(isWarcFileName).sort();
  const indexNames = new Set((await readdir(join(runDir, 'index')).catch(() => [] as string[])).filter((n) => n.endsWith('.cdxj')));
  for (const name of warcNames) {
    onProgress('indexes', figures.warcs, warcNames.length);
    figures.warcs++;
    const cdxj = cdxjNameFor(name);
    indexNames.delete(cdxj);
    await checkIndex(runDir, name, cdxj, problems, figures);
  }
  onProgress('indexes', figures.warcs, warcNames.length);
  for (const orphan of indexNames) problems.add({ code: PROBLEM.indexMismatch, file: `index/${orphan}`, detail: 'index of a WARC file that is not in warc/' });
  return figures;
}

async function checkShard(runDir: string, s: ShardName, problems: ProblemList, figures: FullCheckFigures): Promise<void> {
  const path = join(runDir, s.rel);
  let read = 0;
  try {
    const expected = await shardRowCount(path);
    const columns = s.table === 'pages' ? ['url', 'warc_filename', 'warc_record_offset', 'warc_record_length'] : undefined;
    for await (const batch of readShard(path, columns ? { columns } : {})) {
      read += batch.length;
      if (s.table !== 'pages') continue;
      for (const row of batch) {
        const problem = await checkPointer(runDir, row);
        if (row.warc_filename) figures.pointers++;
        if (problem) problems.add({ ...problem, detail: `${problem.detail} (row of ${s.rel})` });
      }
    }
    if (read !== expected) problems.add({ code: PROBLEM.shardUnreadable, file: s.rel, detail: `read ${read} rows, its footer says ${expected}` });
  } catch (err) {
    problems.add({ code: PROBLEM.shardUnreadable, file: s.rel, detail: errorMessage(err) });
  }
  figures.rows += read;
}

/** Whether a pages row's (file, offset, length) is a whole record; null when fine or when the row has no record. */
export async function checkPointer(runDir: string, row: Record<string, unknown>): Promise<CheckProblem | null> {
  const file = row.warc_filename as string | null | undefined;
  if (!file) return null;
  const url = String(row.url);
  const offset = Number(row.warc_record_offset);
  const length = row.warc_record_length === null || row.warc_record_length === undefined ? undefined : Number(row.warc_record_length);
  try {
    const rec = await readRecordAt(join(runDir, file), offset);
    if (!rec.complete) return { code: PROBLEM.recordUnreadable, file, url, detail: `record at ${offset} is cut short` };
    if (length !== undefined && rec.length !== length) return { code: PROBLEM.recordUnreadable, file, url, detail: `record at ${offset} is ${rec.length} bytes, the row says ${length}` };
    return null;
  } catch (err) {
    return { code: PROBLEM.recordUnreadable, file, url, detail: `record at ${offset}: ${errorMessage(err)}` };
  }
}

/** Order-independent digest of a multiset of lines: sum of their sha1 prefixes, mod 2^64. */
function addLine(acc: { n: number; sum: bigint }, line: string): void {
  acc.n++;
  acc.sum = (acc.sum + createHash('sha1').update(line).digest().readBigUInt64BE(0)) & 0xffff_ffff_ffff_ffffn;
}

async function checkIndex(runDir: string, warc: string, cdxj: string, problems: ProblemList, figures: FullCheckFigures): Promise<void> {
  const fromWarc = { n: 0, sum: 0n };
  const fromIndex = { n: 0, sum: 0n };
  try {
    for await (const e of cdxjEntriesOf(join(runDir, 'warc', warc))) addLine(fromWarc, formatCdxj(e));
  } catch (err) {
    problems.add({ code: PROBLEM.recordUnreadable, file: `warc/${warc}`, detail: `cannot be indexed: ${errorMessage(err)}` });
    return;
  }
  try {
    const lines = createInterface({ input: createReadStream(join(runDir, 'index', cdxj)), crlfDelay: Infinity });
    for await (const line of lines) if (line !== '') addLine(fromIndex, line);
  } catch (err) {
    problems.add({ code: PROBLEM.indexMismatch, file: `index/${cdxj}`, detail: (err as NodeJS.ErrnoException).code === 'ENOENT' ? `missing (the index of warc/${warc})` : errorMessage(err) });
    return;
  }
  figures.indexEntries += fromIndex.n;
  if (fromWarc.n !== fromIndex.n || fromWarc.sum !== fromIndex.sum) {
    problems.add({ code: PROBLEM.indexMismatch, file: `index/${cdxj}`, detail: `${fromIndex.n} entries, warc/${warc} yields ${fromWarc.n}${fromWarc.n === fromIndex.n ? ' (different ones)' : ''}` });
  }
}
