import { createReadStream } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, isAbsolute, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { cdxjEntriesOf, parseCdxj, type CdxjEntry } from '../warc/index.js';
import type { CaptureIndex } from './capture-index.js';
import { fingerprintNewPayloads, updateChangeScores } from './change-scores.js';
import { SourceError } from './errors.js';

const BATCH = 5000;
const ARCHIVE_FILE = /\.(warc|arc)(\.gz)?$/i;

/** What can be served: a jarvix run (its sorted CDXJ per WARC) or WARC/ARC files jarvix did not write. */
export type ArchiveSource = { kind: 'run'; id: string; warcDir: string; indexDir: string } | { kind: 'warc'; path: string };

export interface IngestEvent {
  readonly source: string;
  readonly file: string;
  /** Files of this source done so far, and in all. */
  readonly done: number;
  readonly total: number;
  readonly captures: number;
  /** False when the file was already indexed as it is (nothing read). */
  readonly indexed: boolean;
}

export interface IngestProblem {
  readonly source: string;
  readonly file: string;
  readonly offset?: number;
  readonly message: string;
}

export interface IngestOptions {
  onProgress?: (e: IngestEvent) => void;
  onProblem?: (p: IngestProblem) => void;
}

export interface IngestSummary {
  files: number;
  filesIndexed: number;
  captures: number;
  fingerprinted: number;
  problems: number;
}

export const sourceLabel = (s: ArchiveSource): string => (s.kind === 'run' ? `run:${s.id}` : `warc:${s.path}`);

/**
 * Brings the index up to date with the sources: a file indexed before and unchanged (same size
 * and mtime) is not read again; a new or changed one is (re)indexed. Then payload fingerprints
 * and change scores are computed for what is new.
 */
export async function ingestSources(index: CaptureIndex, sources: readonly ArchiveSource[], options: IngestOptions = {}): Promise<IngestSummary> {
  const sum: IngestSummary = { files: 0, filesIndexed: 0, captures: 0, fingerprinted: 0, problems: 0 };
  const problem = (p: IngestProblem): void => {
    sum.problems++;
    options.onProblem?.(p);
  };
  const bulk = index.beginBulk();
  try {
    for (const s of sources) {
      if (s.kind === 'run') await ingestRun(index, s, sum, options, problem);
      else await ingestWarcPath(index, s.path, sum, options, problem);
    }
  } finally {
    if (bulk) index.endBulk();
  }
  sum.fingerprinted = await fingerprintNewPayloads(index, (file, offset, err) => problem({ source: 'fingerprint', file, offset, message: err.message }));
  updateChangeScores(index);
  return sum;
}

async function ingestRun(index: CaptureIndex, s: Extract<ArchiveSource, { kind: 'run' }>, sum: IngestSummary, o: IngestOptions, problem: (p: IngestProblem) => void): Promise<void> {
  const label = sourceLabel(s);
  let names: string[];
  try {
    names = (await readdir(s.indexDir)).filter((n) => n.endsWith('.cdxj')).sort();
  } catch (err) {
    throw new SourceError(label, `cannot read its index folder ${s.indexDir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const warcRoot = resolve(s.warcDir);
  const warcIds = new Map<string, number | undefined>();
  const warcOf = (e: CdxjEntry): number | undefined => {
    if (!warcIds.has(e.filename)) {
      const p = resolve(warcRoot, e.filename);
      const inside = !isAbsolute(e.filename) && (p.startsWith(warcRoot + sep));
      if (!inside) problem({ source: label, file: e.filename, message: `CDXJ filename ${JSON.stringify(e.filename)} points outside the run's warc/ folder: skipped` });
      warcIds.set(e.filename, inside ? index.warcId(p) : undefined);
    }
    return warcIds.get(e.filename);
  };
  let done = 0;
  for (const name of names) {
    const path = join(s.indexDir, name);
    const st = await stat(path);
    const unit = index.beginUnit(path, st.size, st.mtimeMs, label);
    sum.files++;
    let captures = 0;
    if (unit.fresh) {
      let batch: CdxjEntry[] = [];
      let lineNo = 0;
      for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
        lineNo++;
        if (!line.trim()) continue;
        const e = parseCdxj(line);
        if (!e) {
          problem({ source: label, file: path, offset: lineNo, message: `line ${lineNo} is not a CDXJ line: skipped` });
          continue;
        }
        batch.push(e);
        if (batch.length >= BATCH) {
          captures += index.insert(unit.id, batch, warcOf);
          batch = [];
        }
      }
      captures += index.insert(unit.id, batch, warcOf);
      index.completeUnit(unit.id);
      sum.filesIndexed++;
      sum.captures += captures;
    }
    o.onProgress?.({ source: label, file: path, done: ++done, total: names.length, captures, indexed: unit.fresh });
  }
}

/** Archive files under `root` (itself if a file); symlinks leading outside a folder are refused. */
async function archiveFiles(root: string, problem: (p: IngestProblem) => void, label: string): Promise<string[]> {
  let st;
  try {
    st = await stat(root);
  } catch (err) {
    throw new SourceError(label, `does not exist or cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (st.isFile()) return [root];
  if (!st.isDirectory()) throw new SourceError(label, 'is neither a file nor a folder');
  const realRoot = await realpath(root);
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const ent of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, ent.name);
      if (ent.isSymbolicLink()) {
        const target = await realpath(p).catch(() => undefined);
        const rel = target === undefined ? '..' : relative(realRoot, target);
        if (rel.startsWith('..') || isAbsolute(rel)) {
          problem({ source: label, file: p, message: 'symbolic link leading outside the folder: not followed' });
          continue;
        }
        const tst = await lstat(target!);
        if (tst.isFile() && ARCHIVE_FILE.test(ent.name)) out.push(p);
        continue;
      }
      if (ent.isDirectory()) await walk(p);
      else if (ent.isFile() && ARCHIVE_FILE.test(ent.name)) out.push(p);
    }
  };
  await walk(root);
  return out;
}

async function ingestWarcPath(index: CaptureIndex, given: string, sum: IngestSummary, o: IngestOptions, problem: (p: IngestProblem) => void): Promise<void> {
  const label = `warc:${given}`;
  const files = await archiveFiles(resolve(given), problem, label);
  let done = 0;
  for (const path of files) {
    const st = await stat(path);
    const unit = index.beginUnit(path, st.size, st.mtimeMs, label);
    sum.files++;
    let captures = 0;
    if (unit.fresh) {
      const warcId = index.warcId(path);
      let batch: CdxjEntry[] = [];
      try {
        for await (const e of cdxjEntriesOf(path, {
          filename: basename(path),
          anomalies: (a) => {
            for (const ev of a.events) problem({ source: label, file: path, offset: ev.offset, message: `${ev.code}: ${ev.detail}` });
          },
        })) {
          batch.push(e);
          if (batch.length >= BATCH) {
            captures += index.insert(unit.id, batch, () => warcId);
            batch = [];
          }
        }
      } catch (err) {
        problem({ source: label, file: path, message: `indexing stopped: ${(err as Error).message}` });
      }
      captures += index.insert(unit.id, batch, () => warcId);
      index.completeUnit(unit.id);
      sum.filesIndexed++;
      sum.captures += captures;
    }
    o.onProgress?.({ source: label, file: path, done: ++done, total: files.length, captures, indexed: unit.fresh });
  }
}
