import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import { createGzip, gzip, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

const gzipAsync = promisify(gzip);

/**
 * One record, one gzip member (WARC/1.1 annex D): readers can then seek to any record offset.
 * Small records are compressed whole on the libuv thread pool, so many fetch tasks compress
 * in parallel before taking their turn to append.
 */
/** Below this, a thread-pool round trip costs more than compressing on the spot (request and metadata records). */
const SYNC_GZIP_BYTES = 16 * 1024;

export function gzipMember(parts: readonly Buffer[], level: number): Promise<Buffer> {
  const input = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  if (input.length <= SYNC_GZIP_BYTES) return Promise.resolve(gzipSync(input, { level }));
  return gzipAsync(input, { level });
}

/** Streams a large record through one gzip member straight into the file at `position`; returns the bytes written. */
export async function writeGzipMemberStream(fh: FileHandle, position: number, pieces: AsyncIterable<Buffer>, level: number): Promise<number> {
  let written = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      fh.write(chunk, 0, chunk.length, position + written).then(
        (r) => {
          written += r.bytesWritten;
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await pipeline(Readable.from(pieces), createGzip({ level }), sink);
  return written;
}

/** Writes a whole buffer at `position` (FileHandle.write may write less than asked). */
/**
 * Appends are serialized, so each one waiting its turn in libuv's 4-thread pool behind hundreds of
 * queued gzip jobs made the archive the bottleneck of collect (~490 ms per page, measured). A write
 * of a compressed record to the page cache takes microseconds, so it is done synchronously;
 * durability comes from `sync()` (fsync), which stays asynchronous.
 */
export async function writeAll(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) done += writeSync(fh.fd, buf, done, buf.length - done, position + done);
}
