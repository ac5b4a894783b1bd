import type { FileHandle } from 'node:fs/promises';

const EMPTY = Buffer.alloc(0);

/** Sequential reading of a file from any offset, with look-ahead, unread and seek. */
export class FileCursor {
  readonly #fh: FileHandle;
  readonly #chunkBytes: number;
  /** File offset of #buf[0]. */
  #pos: number;
  #buf: Buffer = EMPTY;
  #eof = false;

  constructor(fh: FileHandle, start: number, chunkBytes = 1024 * 1024) {
    this.#fh = fh;
    this.#pos = start;
    this.#chunkBytes = chunkBytes;
  }

  /** File offset of the next unconsumed byte. */
  get pos(): number {
    return this.#pos;
  }

  /** At least `min` unconsumed bytes (fewer only at end of file), not consumed. */
  async fill(min: number): Promise<Buffer> {
    while (this.#buf.length < min && !this.#eof) {
      const want = Math.max(this.#chunkBytes, min - this.#buf.length);
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await this.#fh.read(chunk, 0, want, this.#pos + this.#buf.length);
      if (bytesRead === 0) this.#eof = true;
      else this.#buf = this.#buf.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([this.#buf, chunk.subarray(0, bytesRead)]);
    }
    return this.#buf;
  }

  /** Consumes up to `max` bytes (reads if nothing is buffered); empty at end of file. */
  async take(max: number): Promise<Buffer> {
    if (this.#buf.length === 0) await this.fill(1);
    const out = this.#buf.subarray(0, Math.min(max, this.#buf.length));
    this.consume(out.length);
    return out;
  }

  consume(n: number): void {
    this.#buf = this.#buf.subarray(n);
    this.#pos += n;
  }

  /** Puts back bytes just consumed (they must be exactly the bytes before `pos`). */
  unread(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#buf = this.#buf.length === 0 ? bytes : Buffer.concat([bytes, this.#buf]);
    this.#pos -= bytes.length;
  }

  seek(pos: number): void {
    this.#pos = pos;
    this.#buf = EMPTY;
    this.#eof = false;
  }
}
