import { mkdir } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { DatasetWriter, pageRowBase, type ErrorRow, type PageRow } from '../../src/dataset/index.js';
import { newManifest, runPaths, writeManifest, type RunManifest } from '../../src/run/index.js';

export const T0 = Date.UTC(2025, 2, 3, 10, 0, 0, 0);
/** A page title written to break out of every context it can land in. */
export const HOSTILE_TITLE = '</title><script>alert(1)</script><img src=x onerror=alert(1)>';
export const HOSTS = ['alpha.test', 'beta.test', 'gamma.test'] as const;
export const LONG_URL = `https://alpha.test/${'x'.repeat(400)}`;

/** Exact fractional scores the charts and tables must keep (the JARVIX seed dropped them). */
export function scoreFor(i: number, shift = 0): number {
  const base = i === 1 ? 99.5 : i === 2 ? 0.25 : i === 3 ? 100 : ((i * 37) % 100) + 0.75;
  return i % 5 === 0 ? Math.min(100, base + shift) : base;
}

const actionFor = (score: number): 'BUY' | 'MONITOR' | 'SKIP' => (score >= 70 ? 'BUY' : score >= 40 ? 'MONITOR' : 'SKIP');

export function normalPage(i: number, shift = 0): PageRow {
  const host = HOSTS[i % 3]!;
  const base = pageRowBase(i === 4 ? LONG_URL : `https://${host}/p/${i}`);
  if (i % 10 === 9) return { ...base, fetch_time: T0 + i * 1000, attempts: 0, error_code: 'JVX_ERR_ROBOTS_DISALLOWED', error_message: 'disallowed by robots.txt' };
  if (i % 10 === 8) return { ...base, fetch_time: T0 + i * 1000, attempts: 3, duration_ms: 3000, error_code: 'JVX_ERR_FETCH_TIMEOUT', error_message: `timed out <b>${i}</b>` };
  const score = scoreFor(i, shift);
  return {
    ...base,
    depth: 0,
    fetch_time: T0 + i * 1000,
    fetch_status: i % 7 === 0 ? 404 : 200,
    content_mime_type: 'text/html',
    content_length: 1000 + i,
    duration_ms: 10 + i,
    attempts: 1,
    title: i === 0 ? HOSTILE_TITLE : `Product ${i}`,
    soft_404: i % 7 === 0,
    score,
    action: actionFor(score),
    confidence: 0.625,
    reason: `${actionFor(score)}: quality +${i}`,
  };
}

export function failedPage(i: number): PageRow {
  const base = pageRowBase(`https://${HOSTS[i % 3]!}/down/${i}`);
  const timeout = i % 2 === 0;
  return {
    ...base,
    fetch_time: T0 + i * 500,
    attempts: 3,
    duration_ms: timeout ? 30_000 : 5,
    error_code: timeout ? 'JVX_ERR_FETCH_TIMEOUT' : 'JVX_ERR_FETCH_CONNECT',
    error_message: timeout ? 'timed out' : 'connection refused',
  };
}

const deadLetter = (url: string, i: number): ErrorRow => ({ url, stage: i % 2 ? 'fetch' : 'extract', error_code: i % 2 ? 'JVX_ERR_FETCH_TIMEOUT' : 'JVX_ERR_EXTRACT_FAILED', message: 'gave up', attempts: 3, time: T0 + i });

async function writeDataset(runDir: string, pages: readonly PageRow[], errors: readonly ErrorRow[], perCheckpoint = 25): Promise<void> {
  const w = await DatasetWriter.open({ runDir, worker: 'w1', rowGroupRows: 16 });
  try {
    let seq = 0;
    for (let from = 0; from < Math.max(pages.length, errors.length); from += perCheckpoint) {
      w.append('pages', pages.slice(from, from + perCheckpoint));
      w.append('errors', errors.slice(from, from + perCheckpoint));
      const { shards } = await w.stage(++seq);
      await w.publish(shards);
    }
  } finally {
    await w.close();
  }
}

async function writeRunManifest(dataDir: string, run: string, patch: Partial<RunManifest>): Promise<void> {
  const paths = runPaths(dataDir, run);
  await mkdir(paths.root, { recursive: true });
  const m = newManifest(run, { hostDelayMs: 250, perHostConcurrency: 1, input: 'seeds.txt' });
  await writeManifest(paths.manifest, { ...m, ...patch });
}

const session = (ms: number): RunManifest['sessions'][number] => ({
  startedAt: new Date(T0).toISOString(),
  finishedAt: new Date(T0 + ms).toISOString(),
  host: 'test',
  pid: 1,
  worker: 'w1',
  outcome: 'finished',
});

/** 60 pages on three hosts: fetched (200 and 404), timed out, robots-blocked; one hostile title. */
export async function writeNormalRun(dataDir: string, run: string, { pages = 60, scoreShift = 0 } = {}): Promise<PageRow[]> {
  const rows = Array.from({ length: pages }, (_, i) => normalPage(i, scoreShift));
  const paths = runPaths(dataDir, run);
  await writeDataset(paths.root, rows, [deadLetter(rows[8]!.url, 1), deadLetter(rows[5]!.url, 2)]);
  await writeRunManifest(dataDir, run, { status: 'finished', sessions: [session(60_000)], counts: { bytes: 123_456 } });
  // The SQLite frontier's host table: beta.test had its delay raised (a Crawl-delay).
  const db = new Database(paths.state);
  db.exec('CREATE TABLE hosts (id INTEGER PRIMARY KEY, host TEXT NOT NULL UNIQUE, delay_ms INTEGER)');
  db.prepare('INSERT INTO hosts (host, delay_ms) VALUES (?, ?), (?, ?)').run('alpha.test', null, 'beta.test', 1500);
  db.close();
  return rows;
}

/** A run folder with its manifest and nothing collected. */
export async function writeEmptyRun(dataDir: string, run: string): Promise<void> {
  await writeRunManifest(dataDir, run, { status: 'finished', sessions: [] });
}

/** Every URL failed: no answer, no score. */
export async function writeAllFailedRun(dataDir: string, run: string, pages = 20): Promise<PageRow[]> {
  const rows = Array.from({ length: pages }, (_, i) => failedPage(i));
  await writeDataset(runPaths(dataDir, run).root, rows, rows.map((r, i) => ({ ...deadLetter(r.url, 1), time: T0 + i })));
  await writeRunManifest(dataDir, run, { status: 'finished', sessions: [session(20_000)] });
  return rows;
}
