import type { Anomalies } from './anomalies.js';
import type { PullReader } from './pull-reader.js';
import type { WarcHeaders, WarcRecord } from './record-parser.js';

const DEFAULT_MAX_BLOCK_BYTES = 64 * 1024 * 1024;

/** What a record needs of the reader it came from. */
export interface RecordSource {
  readonly reader: PullReader;
  readonly anomalies: Anomalies;
  /** For gzip: whether the member being read is whole (a short block is then a wrong Content-Length). */
  memberComplete(): boolean;
  readonly gzip: boolean;
  /** Called once the record is done (the reader sets `length` here). */
  afterDone?(rec: WarcRecord): void | Promise<void>;
  /** Whether the reader is at the start of another record (for the member-boundary check). */
  recordFollows(): Promise<boolean>;
}

/**
 * A record as read, its block streaming from the reader. A class, not an object of closures:
 * a reader makes one per record, and per-record closures cost more than the parsing.
 */
export class ParsedRecord implements WarcRecord {
  readonly version: string;
  readonly offset: number;
  length = 0;
  innerOffset: number | undefined = undefined;
  readonly headers: WarcHeaders;
  readonly type: string;
  readonly targetUri: string | undefined;
  readonly date: string | undefined;
  readonly recordId: string | undefined;
  readonly contentLength: number;
  complete = true;
  blockTruncated = false;
  readonly #src: RecordSource;
  /** Bytes the block takes (MAX_SAFE_INTEGER: up to the end of the gzip member). */
  readonly #blockBytes: number;
  readonly #arc: boolean;
  #readBytes = 0;
  #started = false;
  #finished = false;

  constructor(src: RecordSource, f: { version: string; offset: number; headers: WarcHeaders; uri: string | undefined; date: string | undefined; declared: boolean; blockBytes: number; arc: boolean }) {
    this.#src = src;
    this.version = f.version;
    this.offset = f.offset;
    this.headers = f.headers;
    this.type = f.headers.get('WARC-Type') ?? '';
    this.targetUri = f.uri;
    this.date = f.date;
    this.recordId = f.headers.get('WARC-Record-ID');
    this.contentLength = f.declared ? f.blockBytes : -1;
    this.#blockBytes = f.blockBytes;
    this.#arc = f.arc;
  }

  /** The block as views of the reader's chunks (no copy), only once, before the next record. */
  async *blockChunks(): AsyncGenerator<Buffer> {
    if (this.#started) throw new Error('block already read');
    this.#started = true;
    const reader = this.#src.reader;
    for (;;) {
      const left = this.#blockBytes - this.#readBytes;
      if (left <= 0) return;
      const buf = reader.currentNow() ?? (await reader.current());
      if (buf.length === 0) return;
      const piece = left < buf.length ? buf.subarray(0, left) : buf;
      reader.advance(piece.length);
      this.#readBytes += piece.length;
      yield piece;
    }
  }

  async readBlock(maxBytes = DEFAULT_MAX_BLOCK_BYTES): Promise<Buffer> {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const c of this.blockChunks()) {
      if (n + c.length > maxBytes) {
        parts.push(c.subarray(0, maxBytes - n));
        n = maxBytes;
        this.blockTruncated = true;
        break;
      }
      parts.push(c);
      n += c.length;
    }
    return Buffer.concat(parts, n);
  }

  async done(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    this.#started = true;
    await this.#finish();
    await this.#src.afterDone?.(this);
  }

  /** Skips the rest of the block and the record's trailing line ends, counting what is off. */
  async #finish(): Promise<void> {
    const { reader, anomalies } = this.#src;
    const cl = this.#blockBytes;
    const want = cl - this.#readBytes;
    const got = want > 0 ? await reader.skip(want) : 0;
    this.#readBytes += got;
    if (got < want && cl !== Number.MAX_SAFE_INTEGER) {
      this.complete = false;
      if (this.#src.gzip && this.#src.memberComplete()) anomalies.add('content-length-too-long', this.offset, `block has ${this.#readBytes} of ${cl} declared bytes`);
      else anomalies.add('truncated-block', this.offset, `block cut at ${this.#readBytes} of ${cl} bytes`);
      return;
    }
    const now = reader.currentNow();
    const tail = now && now.length >= 4 ? now.subarray(0, 4) : await reader.peek(4);
    let eol = 0;
    while (eol < tail.length && (tail[eol] === 13 || tail[eol] === 10)) eol++;
    if (now && now.length >= 4) reader.advance(eol);
    else await reader.skip(eol);
    // An ARC record is followed by one LF, a WARC record by CRLF CRLF.
    const crlfOk = this.#arc ? eol >= 1 : (eol === 4 && tail[0] === 13 && tail[1] === 10 && tail[2] === 13 && tail[3] === 10) || cl === Number.MAX_SAFE_INTEGER;
    if (this.#src.gzip && (reader.currentNow() !== undefined || !(await reader.atEnd())) && !(await this.#src.recordFollows())) {
      // The member boundary is authoritative: what follows the declared block in it belongs to this record.
      const extra = await reader.drain();
      anomalies.add('content-length-too-short', this.offset, `${extra} bytes after the block in its gzip member`);
      return;
    }
    if (!crlfOk) anomalies.add('missing-crlf', this.offset, this.#arc ? 'ARC record not followed by LF' : 'record not followed by CRLF CRLF');
  }
}
