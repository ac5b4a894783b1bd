import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CaptureIndex, SourceError, ingestSources, sourceLabel, type ArchiveSource, type IngestOptions, type IngestSummary } from '../replay/index.js';
import { runPaths } from '../run/index.js';
import type { ServeContext } from './context.js';

export interface OpenArchiveOptions extends IngestOptions {
  dataDir: string;
  runs: readonly string[];
  warcs: readonly string[];
  wacz: readonly string[];
  /** Where the capture index lives; default `<data>/cache/serve`. */
  cacheDir?: string;
}

/**
 * The serving context for a set of sources: their capture index (one SQLite file per set of
 * sources, under the cache folder, brought up to date with what changed on disk) and the WACZ map.
 */
export async function openArchive(o: OpenArchiveOptions): Promise<{ context: ServeContext; summary: IngestSummary; indexPath: string }> {
  const sources: ArchiveSource[] = [];
  for (const id of o.runs) {
    const p = runPaths(o.dataDir, id);
    const st = await stat(p.indexDir).catch(() => undefined);
    if (!st?.isDirectory()) throw new SourceError(`run:${id}`, `no run folder with an index/ at ${p.root}`);
    sources.push({ kind: 'run', id, warcDir: p.warcDir, indexDir: p.indexDir });
  }
  for (const w of o.warcs) sources.push({ kind: 'warc', path: resolve(w) });
  const wacz = new Map<string, string>();
  for (const w of o.wacz) {
    const st = await stat(w).catch(() => undefined);
    if (!st?.isFile()) throw new SourceError(`wacz:${w}`, 'is not a file');
    const name = basename(w);
    if (wacz.has(name)) throw new SourceError(`wacz:${w}`, `a second WACZ named ${name} (they are served by base name)`);
    wacz.set(name, resolve(w));
  }
  const labels = sources.map(sourceLabel);
  const cacheDir = o.cacheDir ?? join(o.dataDir, 'cache', 'serve');
  await mkdir(cacheDir, { recursive: true });
  const key = createHash('sha1').update(JSON.stringify([resolve(o.dataDir), ...[...labels].sort()])).digest('hex').slice(0, 16);
  const indexPath = join(cacheDir, `captures-${key}.sqlite`);
  const index = new CaptureIndex(indexPath);
  try {
    const summary = await ingestSources(index, sources, o);
    return { context: { index, wacz, sources: labels, dataDir: resolve(o.dataDir), runs: [...o.runs] }, summary, indexPath };
  } catch (err) {
    index.close();
    throw err;
  }
}
