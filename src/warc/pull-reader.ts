const EMPTY = Buffer.alloc(0);

/**
 * Pull-style buffered reading over a stream of chunks: lines with a length cap, exact-size takes,
 * skips and peeks. The record parser works on this, whatever the bytes came from (a plain file,
 * one gzip member, a whole-file gzip stream). `consumed` counts bytes handed out.
 *
 * Chunks are queued, never joined: joining a 1 MiB read chunk to the few bytes left of the
 * previous one copied every byte of a plain WARC once more and made the GC the reader's main
 * cost. Only a line or a peek that straddles two chunks is copied (a few bytes).
 */
export class PullReader {
  readonly #source: AsyncIterator<Buffer> | undefined;
  /** Unconsumed part of the first queued chunk. */
  #head: Buffer;
  /** Further chunks already pulled (look-ahead across a chunk boundary). */
  readonly #rest: Buffer[] = [];
  #restBytes = 0;
  #eof: boolean;
  consumed = 0;

  constructor(source: AsyncIterable<Buffer> | Buffer) {
    if (Buffer.isBuffer(source)) {
      this.#head = source;
      this.#eof = true;
      this.#source = undefined;
    } else {
      this.#head = EMPTY;
      this.#eof = false;
      this.#source = source[Symbol.asyncIterator]();
    }
  }

  get #available(): number {
    return this.#head.length + this.#restBytes;
  }

  async #more(): Promise<boolean> {
    if (this.#eof || !this.#source) return false;
    for (;;) {
      const r = await this.#source.next();
      if (r.done) {
        this.#eof = true;
        return false;
      }
      if (r.value.length === 0) continue;
      if (this.#head.length === 0 && this.#rest.length === 0) this.#head = r.value;
      else {
        this.#rest.push(r.value);
        this.#restBytes += r.value.length;
      }
      return true;
    }
  }

  /** Makes the head non-empty if anything is left; false at the end. */
  async #ensureHead(): Promise<boolean> {
    if (this.#head.length > 0) return true;
    if (this.#rest.length > 0) {
      this.#shift();
      return true;
    }
    return (await this.#more()) && this.#head.length > 0;
  }

  #shift(): void {
    const next = this.#rest.shift() ?? EMPTY;
    this.#restBytes -= next.length;
    this.#head = next;
  }

  /** Up to `n` bytes without consuming them (fewer only at the end). */
  async peek(n: number): Promise<Buffer> {
    while (this.#available < n && (await this.#more()));
    if (this.#head.length === 0 && this.#rest.length > 0) this.#shift();
    if (this.#head.length >= n || this.#rest.length === 0) return this.#head.subarray(0, Math.min(n, this.#head.length));
    return Buffer.concat([this.#head, ...this.#rest], Math.min(n, this.#available));
  }

  /** True when nothing is left. */
  async atEnd(): Promise<boolean> {
    return !(await this.#ensureHead());
  }

  /**
   * The next line including its `\n`; at most `maxBytes` (then `complete` is false and the rest of
   * the line stays unread). Null at the end.
   */
  async readLine(maxBytes: number): Promise<{ line: Buffer; complete: boolean } | null> {
    if (!(await this.#ensureHead())) return null;
    const nl = this.#head.indexOf(10);
    if (nl >= 0 && nl < maxBytes) return { line: this.#consumeHead(nl + 1), complete: true };
    if (this.#head.length >= maxBytes) return { line: this.#consumeHead(maxBytes), complete: false };
    // The line goes on in the next chunk(s).
    let searchedBytes = this.#head.length;
    let searchedChunks = 0;
    for (;;) {
      while (searchedChunks < this.#rest.length) {
        const c = this.#rest[searchedChunks]!;
        const i = c.indexOf(10);
        if (i >= 0 && searchedBytes + i < maxBytes) return { line: this.#consumeCopy(searchedBytes + i + 1), complete: true };
        searchedBytes += c.length;
        searchedChunks++;
        if (searchedBytes >= maxBytes) return { line: this.#consumeCopy(maxBytes), complete: false };
      }
      if (!(await this.#more())) return { line: this.#consumeCopy(this.#available), complete: false };
    }
  }

  /**
   * The buffered bytes of the current chunk (a view, possibly empty only at the end), for parsing
   * in place without a copy; `advance` then consumes what was parsed.
   */
  async current(): Promise<Buffer> {
    await this.#ensureHead();
    return this.#head;
  }

  /** `current()` without waiting: undefined when the current chunk is used up (then await `current()`). */
  currentNow(): Buffer | undefined {
    return this.#head.length > 0 ? this.#head : undefined;
  }

  /** Consumes `n` bytes of `current()` (n at most its length). */
  advance(n: number): void {
    this.#consumeHead(n);
  }

  /** Yields exactly `n` bytes in chunks (views, no copy), fewer at the end. */
  async *take(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (!(await this.#ensureHead())) return;
      const piece = this.#consumeHead(Math.min(left, this.#head.length));
      left -= piece.length;
      yield piece;
    }
  }

  /** Skips `n` bytes; returns how many were there. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (!(await this.#ensureHead())) break;
      left -= this.#consumeHead(Math.min(left, this.#head.length)).length;
    }
    return n - left;
  }

  /** Drains whatever is left; returns the byte count. */
  async drain(): Promise<number> {
    let n = 0;
    while (await this.#ensureHead()) n += this.#consumeHead(this.#head.length).length;
    return n;
  }

  #consumeHead(n: number): Buffer {
    const out = this.#head.subarray(0, n);
    this.#head = this.#head.subarray(n);
    this.consumed += n;
    return out;
  }

  /** `n` bytes that may span queued chunks, copied into one buffer (only lines and peeks do this). */
  #consumeCopy(n: number): Buffer {
    if (n <= this.#head.length) return this.#consumeHead(n);
    const out = Buffer.concat([this.#head, ...this.#rest], n);
    let left = n;
    while (left > 0) {
      if (this.#head.length === 0) this.#shift();
      left -= this.#consumeHead(Math.min(left, this.#head.length)).length;
    }
    return out;
  }
}
