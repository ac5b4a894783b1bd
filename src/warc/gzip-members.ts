import { once } from 'node:events';
import { constants, crc32, createInflateRaw, inflateRawSync } from 'node:zlib';
import type { Anomalies } from './anomalies.js';
import type { FileCursor } from './file-cursor.js';

/** One gzip member: its place in the file and its uncompressed bytes (consume `data` before the next member). */
export interface GzipMember {
  readonly start: number;
  /** File offset after the member; known once `data` is exhausted. */
  end: number;
  /** False when the member is cut short or corrupt (its data is what could be salvaged). */
  complete: boolean;
  readonly data: Buffer | AsyncIterable<Buffer>;
}

const FIRST_WINDOW = 64 * 1024;
const FAST_WINDOW = 1024 * 1024;
const FAST_MAX_OUTPUT = 16 * 1024 * 1024;
const MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

/** Inflates a whole member from `buf` in one call; 'more' when it needs more input or output than that allows. */
function inflateFast(buf: Buffer, hl: number): { out: Buffer; used: number } | 'more' | 'bad' {
  try {
    const r = inflateRawSync(buf.subarray(hl), { info: true, maxOutputLength: FAST_MAX_OUTPUT }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return { out: r.buffer, used: r.engine.bytesWritten };
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' ? 'bad' : 'more';
  }
}

/** Length of the gzip header at the start of `buf`, or -1 if `buf` is too short to hold it. */
export function headerLength(buf: Buffer): number {
  if (buf.length < 10) return -1;
  const flags = buf[3]!;
  let p = 10;
  if (flags & 4) {
    if (buf.length < p + 2) return -1;
    p += 2 + buf.readUInt16LE(p);
  }
  for (const bit of [8, 16]) {
    if (flags & bit) {
      const z = buf.indexOf(0, p);
      if (z < 0) return -1;
      p = z + 1;
    }
  }
  if (flags & 2) p += 2;
  return p <= buf.length ? p : -1;
}

/**
 * Walks the gzip members of a file. Small members are inflated in one synchronous call (fast);
 * large or damaged ones go through a streaming inflater that stops at the member's end, so memory
 * stays bounded. Bytes that are not a gzip member are skipped up to the next gzip magic, counted.
 */
export async function* gzipMembers(cursor: FileCursor, anomalies: Anomalies): AsyncGenerator<GzipMember> {
  for (;;) {
    let buf = await cursor.fill(18);
    if (buf.length === 0) return;
    if (buf.indexOf(MAGIC) !== 0) {
      const from = cursor.pos;
      if (!(await skipToMagic(cursor))) {
        anomalies.add('gzip-garbage', from, `${cursor.pos - from} bytes that are not gzip at the end`);
        return;
      }
      anomalies.add('gzip-garbage', from, `${cursor.pos - from} bytes between gzip members skipped`);
      continue;
    }
    const start = cursor.pos;
    // Try what is buffered first (most members are small); only a member that needs more input
    // than that gets a bigger window, and past the window it streams.
    buf = await cursor.fill(FIRST_WINDOW);
    const hl = headerLength(buf);
    if (hl < 0) {
      anomalies.add('gzip-truncated', start, 'gzip header cut short');
      cursor.consume(buf.length);
      return;
    }
    let fast = inflateFast(buf, hl);
    if (fast === 'more' && buf.length >= FIRST_WINDOW) {
      buf = await cursor.fill(FAST_WINDOW);
      fast = inflateFast(buf, hl);
    }
    if (typeof fast === 'object') {
      cursor.consume(hl + fast.used);
      const member: GzipMember = { start, end: 0, complete: true, data: fast.out };
      member.complete = await checkTrailer(cursor, anomalies, start, crc32(fast.out), fast.out.length);
      member.end = cursor.pos;
      yield member;
      if (!member.complete) await resumeInside(cursor, start, member.end);
      continue;
    }
    // Large, truncated or corrupt: stream it, salvaging what inflates.
    cursor.consume(hl);
    const member: GzipMember = { start, end: 0, complete: false, data: EMPTY_ITER };
      (member as { data: AsyncIterable<Buffer> }).data = streamMember(cursor, anomalies, start, member);
    yield member;
    // The consumer may stop early; the member must still be walked to find where the next one starts.
    for await (const _ of member.data as AsyncIterable<Buffer>) void _;
    if (!member.complete && member.end > 0) await resumeInside(cursor, start, member.end);
  }
}

/** Compressed bytes inflated to tell a real member from a chance magic. */
const PROBE_BYTES = 512;

/**
 * After a member that failed its trailer or ran to the end of the file: damage to its deflate
 * data can make the inflater read on through the members after it (as garbage) before it stops.
 * Those members are still whole. Looks for the first one that starts inside [start + 1, end) — a
 * gzip magic and header whose first bytes inflate — and goes on from there; none: from `end`.
 */
async function resumeInside(cursor: FileCursor, start: number, end: number): Promise<void> {
  cursor.seek(start + 1);
  while (cursor.pos < end && (await skipToMagic(cursor, false)) && cursor.pos < end) {
    const buf = await cursor.fill(PROBE_BYTES + 64);
    const hl = headerLength(buf);
    if (hl >= 0 && inflatesAtAll(buf.subarray(hl, hl + PROBE_BYTES))) return;
    cursor.consume(1);
  }
  cursor.seek(end);
}

function inflatesAtAll(input: Buffer): boolean {
  try {
    return inflateRawSync(input, { finishFlush: constants.Z_SYNC_FLUSH }).length > 0;
  } catch {
    return false;
  }
}

const EMPTY_ITER: AsyncIterable<Buffer> = { async *[Symbol.asyncIterator]() {} };

async function* streamMember(cursor: FileCursor, anomalies: Anomalies, start: number, member: GzipMember): AsyncGenerator<Buffer> {
  const inf = createInflateRaw({ chunkSize: 256 * 1024 });
  const fed: Buffer[] = [];
  let fedBase = 0;
  let finished = false;
  let failure: Error | undefined;
  const settled = new Promise<void>((resolve) => {
    inf.once('end', () => ((finished = true), resolve()));
    // Leaving `for await` over a stream whose writable side is still open destroys it with an
    // AbortError (Node's destroyer): after 'end' that is not a failure of the member. Seen on
    // large members, which it made 'gzip-corrupt' and unreadable.
    inf.once('error', (err) => {
      if (!finished) failure = err;
      resolve();
    });
    inf.once('close', () => resolve());
  });
  const feeder = (async () => {
    while (!finished && !failure) {
      const chunk = await cursor.take(256 * 1024);
      if (chunk.length === 0) {
        if (!finished && !failure) inf.end();
        return;
      }
      fed.push(chunk);
      if (finished || failure) return;
      while (fed.length > 0 && fedBase + fed[0]!.length <= inf.bytesWritten) fedBase += fed.shift()!.length;
      if (!inf.write(chunk)) await Promise.race([once(inf, 'drain').catch(() => undefined), settled]);
    }
  })();
  let crc = 0;
  let size = 0;
  try {
    for await (const out of inf as AsyncIterable<Buffer>) {
      crc = crc32(out, crc);
      size += out.length;
      yield out;
    }
  } catch (err) {
    failure ??= err as Error;
  } finally {
    inf.destroy();
    await feeder.catch(() => undefined);
  }
  if (failure || !finished) {
    const truncated = /unexpected end/i.test(failure?.message ?? '');
    anomalies.add(truncated ? 'gzip-truncated' : 'gzip-corrupt', start, failure?.message ?? 'gzip member not finished');
    if (!truncated) cursor.seek(start + 1);
    member.end = truncated ? cursor.pos : 0;
    return;
  }
  // Give back what was fed past the end of this member: it is the next member.
  const used = inf.bytesWritten;
  const tail: Buffer[] = [];
  let off = fedBase;
  for (const c of fed) {
    if (off + c.length > used) tail.push(c.subarray(Math.max(0, used - off)));
    off += c.length;
  }
  for (let i = tail.length - 1; i >= 0; i--) cursor.unread(tail[i]!);
  member.complete = await checkTrailer(cursor, anomalies, start, crc, size);
  member.end = cursor.pos;
}

async function checkTrailer(cursor: FileCursor, anomalies: Anomalies, start: number, crc: number, size: number): Promise<boolean> {
  const t = await cursor.fill(8);
  if (t.length < 8) {
    anomalies.add('gzip-truncated', start, 'gzip trailer cut short');
    cursor.consume(t.length);
    return false;
  }
  const ok = t.readUInt32LE(0) === crc >>> 0 && t.readUInt32LE(4) === size % 2 ** 32;
  cursor.consume(8);
  if (!ok) anomalies.add('gzip-crc', start, 'gzip member CRC or size mismatch');
  return ok;
}

/** Advances to the next gzip magic after (`past`, the default) or at the current position; false at end of file. */
async function skipToMagic(cursor: FileCursor, past = true): Promise<boolean> {
  if (past) cursor.consume(1);
  for (;;) {
    const buf = await cursor.fill(64 * 1024);
    if (buf.length < 3) {
      cursor.consume(buf.length);
      return false;
    }
    const i = buf.indexOf(MAGIC);
    if (i >= 0) {
      cursor.consume(i);
      return true;
    }
    cursor.consume(buf.length - 2);
  }
}
