import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

/**
 * A response body as received (transfer-encoding removed, content-encoding kept), re-readable,
 * with its length and sha1 known. Small bodies stay in memory; past `spillBytes` the body goes
 * to a temp file, so a large body never sits in memory whole. Call `dispose()` when done.
 */
export interface BodySource {
  readonly length: number;
  /** Raw sha1 digest of the bytes. */
  readonly sha1: Buffer;
  /** Streams the bytes; may be called many times. */
  chunks(): AsyncIterable<Buffer>;
  /** The whole body in memory; only for bodies known to be small (e.g. under a cap). */
  toBuffer(): Promise<Buffer>;
  dispose(): Promise<void>;
}

export function bodyFromBuffer(buf: Buffer): BodySource {
  const sha1 = createHash('sha1').update(buf).digest();
  return {
    length: buf.length,
    sha1,
    async *chunks() {
      if (buf.length > 0) yield buf;
    },
    toBuffer: async () => buf,
    dispose: async () => {},
  };
}

export const emptyBody: BodySource = bodyFromBuffer(Buffer.alloc(0));

/** Accumulates a body as it arrives; `finish()` returns the BodySource. */
export class BodyCollector {
  readonly #spillBytes: number;
  readonly #dir: string;
  readonly #hash = createHash('sha1');
  #chunks: Buffer[] = [];
  #length = 0;
  #file: FileHandle | undefined;
  #path: string | undefined;
  #writing: Promise<unknown> = Promise.resolve();
  #error: unknown;

  constructor(options: { spillBytes?: number; tmpDir?: string } = {}) {
    this.#spillBytes = options.spillBytes ?? 4 * 1024 * 1024;
    this.#dir = options.tmpDir ?? tmpdir();
  }

  get length(): number {
    return this.#length;
  }

  /** Adds a chunk. Returns a promise only when the chunk went to disk (callers may await it for back-pressure). */
  push(chunk: Buffer): Promise<unknown> | undefined {
    this.#hash.update(chunk);
    this.#length += chunk.length;
    if (this.#file === undefined && this.#path === undefined && this.#length <= this.#spillBytes) {
      this.#chunks.push(chunk);
      return undefined;
    }
    const pending = this.#chunks;
    this.#chunks = [];
    this.#writing = this.#writing
      .then(async () => {
        if (this.#file === undefined) {
          this.#path = join(this.#dir, `jarvix-body-${randomUUID()}.tmp`);
          this.#file = await open(this.#path, 'w+');
        }
        for (const c of pending) await this.#file.write(c);
        await this.#file.write(chunk);
      })
      .catch((err: unknown) => {
        this.#error = err;
      });
    return this.#writing;
  }

  async finish(): Promise<BodySource> {
    await this.#writing;
    if (this.#error) throw this.#error;
    const sha1 = this.#hash.digest();
    const length = this.#length;
    if (this.#path === undefined) {
      const buf = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, length);
      this.#chunks = [];
      const src = bodyFromBuffer(buf);
      return { ...src, sha1 };
    }
    const path = this.#path;
    await this.#file?.close();
    this.#file = undefined;
    return {
      length,
      sha1,
      async *chunks() {
        if (length === 0) return;
        for await (const c of createReadStream(path, { highWaterMark: 256 * 1024 })) yield c as Buffer;
      },
      async toBuffer() {
        const parts: Buffer[] = [];
        for await (const c of createReadStream(path)) parts.push(c as Buffer);
        return Buffer.concat(parts);
      },
      dispose: () => rm(path, { force: true }),
    };
  }

  /** Drops what was collected (request aborted). */
  async discard(): Promise<void> {
    await this.#writing;
    this.#chunks = [];
    await this.#file?.close();
    this.#file = undefined;
    if (this.#path) await rm(this.#path, { force: true });
  }
}
