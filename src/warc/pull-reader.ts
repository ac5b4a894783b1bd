const EMPTY = Buffer.alloc(0);

/**
 * Pull-style buffered reading over a stream of chunks: lines with a length cap, exact-size takes,
 * skips and unread. The record parser works on this, whatever the bytes came from (a plain file,
 * one gzip member, a whole-file gzip stream). `consumed` counts bytes handed out.
 */
export class PullReader {
  readonly #source: AsyncIterator<Buffer> | undefined;
  #buf: Buffer;
  #eof: boolean;
  consumed = 0;

  constructor(source: AsyncIterable<Buffer> | Buffer) {
    if (Buffer.isBuffer(source)) {
      this.#buf = source;
      this.#eof = true;
      this.#source = undefined;
    } else {
      this.#buf = EMPTY;
      this.#eof = false;
      this.#source = source[Symbol.asyncIterator]();
    }
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
      this.#buf = this.#buf.length === 0 ? r.value : Buffer.concat([this.#buf, r.value]);
      return true;
    }
  }

  /** Up to `n` bytes without consuming them (fewer only at the end). */
  async peek(n: number): Promise<Buffer> {
    while (this.#buf.length < n && (await this.#more()));
    return this.#buf.subarray(0, Math.min(n, this.#buf.length));
  }

  /** True when nothing is left. */
  async atEnd(): Promise<boolean> {
    return (await this.peek(1)).length === 0;
  }

  /**
   * The next line including its `\n`; at most `maxBytes` (then `complete` is false and the rest of
   * the line stays unread). Null at the end.
   */
  async readLine(maxBytes: number): Promise<{ line: Buffer; complete: boolean } | null> {
    let searched = 0;
    for (;;) {
      const nl = this.#buf.indexOf(10, searched);
      if (nl >= 0 && nl < maxBytes) return { line: this.#consume(nl + 1), complete: true };
      if (this.#buf.length >= maxBytes) return { line: this.#consume(maxBytes), complete: false };
      searched = this.#buf.length;
      if (!(await this.#more())) {
        if (this.#buf.length === 0) return null;
        return { line: this.#consume(this.#buf.length), complete: false };
      }
    }
  }

  /** Yields exactly `n` bytes in chunks, fewer at the end. */
  async *take(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.#buf.length === 0 && !(await this.#more())) return;
      const piece = this.#consume(Math.min(left, this.#buf.length));
      left -= piece.length;
      yield piece;
    }
  }

  /** Skips `n` bytes; returns how many were there. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.#buf.length === 0 && !(await this.#more())) break;
      left -= this.#consume(Math.min(left, this.#buf.length)).length;
    }
    return n - left;
  }

  /** Drains whatever is left; returns the byte count. */
  async drain(): Promise<number> {
    let n = this.#consume(this.#buf.length).length;
    while (await this.#more()) n += this.#consume(this.#buf.length).length;
    return n;
  }

  #consume(n: number): Buffer {
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    this.consumed += n;
    return out;
  }
}
