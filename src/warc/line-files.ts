import { createReadStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** Lines of a text file, streamed. */
export async function* readLines(path: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 }), crlfDelay: Infinity });
  try {
    for await (const line of rl) if (line !== '') yield line;
  } finally {
    rl.close();
  }
}

/** Appends lines to a file through a small buffer (one write per ~64 KiB). */
export class LineAppender {
  readonly #fh: FileHandle;
  #pending: string[] = [];
  #pendingChars = 0;

  private constructor(fh: FileHandle) {
    this.#fh = fh;
  }

  static async open(path: string, flags: 'a' | 'w' = 'a'): Promise<LineAppender> {
    return new LineAppender(await open(path, flags));
  }

  async add(line: string): Promise<void> {
    this.#pending.push(line);
    this.#pendingChars += line.length + 1;
    if (this.#pendingChars >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const text = `${this.#pending.join('\n')}\n`;
    this.#pending = [];
    this.#pendingChars = 0;
    await this.#fh.write(text);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#fh.close();
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorts lines from `source` into `dest` with bounded memory: runs of at most `maxRunChars` are
 * sorted in memory and spilled to temp files beside `dest`, then merged. CDXJ sort order is plain
 * code-unit order of the whole line (byte order for the ASCII keys SURT produces).
 */
export async function sortLines(source: AsyncIterable<string>, dest: string, maxRunChars = 64 * 1024 * 1024): Promise<number> {
  const runs: string[] = [];
  let batch: string[] = [];
  let chars = 0;
  let count = 0;
  try {
    for await (const line of source) {
      batch.push(line);
      chars += line.length;
      count++;
      if (chars >= maxRunChars) {
        const run = `${dest}.run${runs.length}`;
        await writeSorted(batch, run);
        runs.push(run);
        batch = [];
        chars = 0;
      }
    }
    if (runs.length === 0) {
      await writeSorted(batch, dest);
      return count;
    }
    if (batch.length > 0) {
      const run = `${dest}.run${runs.length}`;
      await writeSorted(batch, run);
      runs.push(run);
    }
    batch = [];
    await mergeRuns(runs, dest);
    return count;
  } finally {
    await Promise.all(runs.map((r) => rm(r, { force: true })));
  }
}

async function writeSorted(lines: string[], path: string): Promise<void> {
  lines.sort(compare);
  const out = await LineAppender.open(path, 'w');
  try {
    for (const l of lines) await out.add(l);
  } finally {
    await out.close();
  }
}

/** Merges files each sorted by whole line into `dest` (one line in memory per input). */
export async function mergeRuns(runs: readonly string[], dest: string): Promise<void> {
  const iters = runs.map((r) => readLines(r)[Symbol.asyncIterator]());
  const heads: (string | undefined)[] = await Promise.all(iters.map(async (it) => (await it.next()).value as string | undefined));
  const out = await LineAppender.open(dest, 'w');
  try {
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i];
        if (h !== undefined && (best < 0 || h < heads[best]!)) best = i;
      }
      if (best < 0) break;
      await out.add(heads[best]!);
      heads[best] = (await iters[best]!.next()).value as string | undefined;
    }
  } finally {
    await out.close();
    await Promise.all(iters.map((it) => it.return?.(undefined)));
  }
}
