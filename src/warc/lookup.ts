import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cdxjKeyPrefix, parseCdxj, type CdxjEntry } from './cdxj.js';
import { surt } from './surt.js';
import { parseWarcDate } from './warc-date.js';

const PROBE_BYTES = 4096;
/** Binary-search probes this shallow are cached: every lookup walks the same top of the tree. */
const CACHED_DEPTH = 12;

/**
 * One sorted CDXJ file searched in place: binary search over byte offsets, each probe one
 * positioned read of the line at or after the offset. Nothing is loaded at open.
 */
class SortedCdxjFile {
  readonly path: string;
  readonly #fd: number;
  readonly #size: number;
  readonly #buf = Buffer.allocUnsafe(PROBE_BYTES);
  readonly #probeCache = new Map<number, { line: string; start: number; next: number } | null>();

  constructor(path: string) {
    this.path = path;
    this.#fd = openSync(path, 'r');
    this.#size = fstatSync(this.#fd).size;
  }

  close(): void {
    closeSync(this.#fd);
  }

  /** The first whole line starting at or after `pos`, with its start and the offset after it. */
  #lineAt(pos: number): { line: string; start: number; next: number } | null {
    let start = pos;
    if (pos > 0) {
      // Skip the rest of the line `pos` falls in (the byte before pos tells whether pos starts a line).
      let p = pos - 1;
      for (;;) {
        const n = readSync(this.#fd, this.#buf, 0, PROBE_BYTES, p);
        if (n <= 0) return null;
        const nl = this.#buf.subarray(0, n).indexOf(10);
        if (nl >= 0) {
          start = p + nl + 1;
          break;
        }
        p += n;
      }
    }
    if (start >= this.#size) return null;
    let text = '';
    let p = start;
    for (;;) {
      const n = readSync(this.#fd, this.#buf, 0, PROBE_BYTES, p);
      if (n <= 0) return text ? { line: text, start, next: p } : null;
      const nl = this.#buf.subarray(0, n).indexOf(10);
      if (nl >= 0) {
        text += this.#buf.toString('utf8', 0, nl);
        return { line: text, start, next: p + nl + 1 };
      }
      text += this.#buf.toString('utf8', 0, n);
      p += n;
    }
  }

  /** Every line beginning with `prefix` (file order). */
  linesWithPrefix(prefix: string): string[] {
    // Lower bound: the smallest line start whose line is >= prefix.
    let lo = 0;
    let hi = this.#size;
    let depth = 0;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      let probe: { line: string; start: number; next: number } | null | undefined;
      if (depth < CACHED_DEPTH) {
        probe = this.#probeCache.get(mid);
        if (probe === undefined) {
          probe = this.#lineAt(mid);
          this.#probeCache.set(mid, probe);
        }
      } else probe = this.#lineAt(mid);
      depth++;
      if (probe === null || probe.line >= prefix) hi = mid;
      else lo = probe.next;
    }
    const out: string[] = [];
    let pos = lo;
    for (;;) {
      const l = this.#lineAt(pos);
      if (!l || !l.line.startsWith(prefix)) break;
      out.push(l.line);
      pos = l.next;
    }
    return out;
  }
}

/**
 * Lookup by URL across a run's `index/*.cdxj` (one sorted CDXJ per WARC) by binary search in
 * each file; no scan, nothing loaded up front. Files appearing later need a new RunIndex.
 */
export class RunIndex {
  readonly #files: SortedCdxjFile[];

  private constructor(files: SortedCdxjFile[]) {
    this.#files = files;
  }

  static async open(indexDir: string): Promise<RunIndex> {
    let names: string[] = [];
    try {
      names = (await readdir(indexDir)).filter((n) => n.endsWith('.cdxj')).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return new RunIndex(names.map((n) => new SortedCdxjFile(join(indexDir, n))));
  }

  get fileCount(): number {
    return this.#files.length;
  }

  /** Every capture of `url` (same SURT key), oldest first. */
  captures(url: string): CdxjEntry[] {
    const prefix = cdxjKeyPrefix(surt(url));
    const out: CdxjEntry[] = [];
    for (const f of this.#files) {
      for (const line of f.linesWithPrefix(prefix)) {
        const e = parseCdxj(line);
        if (e) out.push(e);
      }
    }
    return out.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  }

  /** The capture of `url` nearest to `at` (any timestamp form parseWarcDate reads); the latest without `at`. */
  lookup(url: string, at?: string | number): CdxjEntry | undefined {
    const all = this.captures(url);
    if (all.length === 0) return undefined;
    if (at === undefined) return all.at(-1);
    const target = typeof at === 'number' ? at : parseWarcDate(at);
    if (target === undefined) return all.at(-1);
    let best = all[0]!;
    let bestDist = Infinity;
    for (const e of all) {
      const d = Math.abs((parseWarcDate(e.timestamp) ?? 0) - target);
      if (d < bestDist) {
        best = e;
        bestDist = d;
      }
    }
    return best;
  }

  close(): void {
    for (const f of this.#files) f.close();
  }
}
