import type { FileHandle } from 'node:fs/promises';
import { constants, inflateRawSync } from 'node:zlib';
import { Anomalies } from './anomalies.js';
import { headerLength } from './gzip-members.js';
import { parseHttpHead, type HttpHead } from './http-head.js';
import { headAnomalies, recordFields, scanHead } from './head-scan.js';
import { WarcHeaders } from './record-parser.js';

/** What the index needs of a skipped record. */
export interface SkippedRecord {
  readonly version: string;
  readonly type: string;
  readonly targetUri: string | undefined;
  readonly date: string | undefined;
  readonly headers: WarcHeaders;
  readonly contentLength: number;
}

const WINDOW_BYTES = 1024 * 1024;
/**
 * Compressed bytes inflated to see a record's head: small first, then more. A WARC head plus an
 * HTTP head is under 1 KiB and compresses to a few hundred bytes; a bigger first probe would
 * inflate much of a compressible body for nothing.
 */
const PROBE_INPUT_BYTES = [384, 768, 2 * 1024, 16 * 1024, 64 * 1024];
const HTTP_HEAD_MAX_BYTES = 64 * 1024;
const MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);
/** Bytes a search step wants ahead of it (it uses whatever the window holds beyond). */
const SEARCH_MIN_BYTES = 64 * 1024;
/** Overlap kept when the search window slides: a magic plus the 4-byte ISIZE before it. */
const OVERLAP_BYTES = 8;

/** A record's head read from the start of its gzip member, and where the member ends. */
export interface SkippedMember {
  readonly record: SkippedRecord;
  /** HTTP head at the start of the block, when one was found in the first 64 KiB. */
  readonly httpHead: HttpHead | undefined;
  readonly start: number;
  readonly end: number;
}

/** Positioned reads through one reusable window (nothing handed out keeps a view of it). */
class Window {
  readonly #fh: FileHandle;
  readonly #buf = Buffer.allocUnsafe(WINDOW_BYTES);
  #start = 0;
  #len = 0;
  #eofAt = -1;

  constructor(fh: FileHandle) {
    this.#fh = fh;
  }

  /** Like `view`, without I/O: undefined when the window does not already hold what is asked. */
  viewNow(pos: number, min: number): Buffer | undefined {
    if (pos < this.#start || pos > this.#start + this.#len) return undefined;
    if (pos + min > this.#start + this.#len && this.#eofAt < 0) return undefined;
    return this.#buf.subarray(pos - this.#start, this.#len);
  }

  /** Bytes from `pos` on (at least `min`, unless the file ends first). */
  async view(pos: number, min: number): Promise<Buffer> {
    if (pos < this.#start || pos + min > this.#start + this.#len) {
      if (!(this.#eofAt >= 0 && pos >= this.#start && this.#start + this.#len === this.#eofAt)) {
        const { bytesRead } = await this.#fh.read(this.#buf, 0, WINDOW_BYTES, pos);
        this.#start = pos;
        this.#len = bytesRead;
        this.#eofAt = bytesRead < WINDOW_BYTES ? pos + bytesRead : -1;
      }
    }
    return this.#buf.subarray(pos - this.#start, this.#len);
  }

  /** Whether the last view runs to the end of the file (views always run to the window's end). */
  get atEof(): boolean {
    return this.#eofAt >= 0;
  }

}

/**
 * Reads a `.warc.gz` with one member per record without inflating the blocks: each member is
 * inflated only as far as its WARC head (and HTTP head), and its end is found by searching for
 * the next gzip magic whose preceding ISIZE field equals the record's known uncompressed size
 * (head + Content-Length + CRLFCRLF). A false match needs the 3-byte magic and those 4 bytes to
 * line up by chance (about 2^-56 per position). Indexing then costs a fraction of a full inflate.
 *
 * Anything unusual — an anomaly in the head, a missing Content-Length or payload digest, a member
 * holding more than one record, a size that does not match — returns 'fallback' with nothing
 * consumed, and the caller reads on from that member with the full lenient reader.
 */
export class MemberSkipper {
  readonly #win: Window;

  constructor(fh: FileHandle) {
    this.#win = new Window(fh);
  }

  /** The member at `start`, null at the end of the file, or 'fallback'. */
  async next(start: number, needsBody: (rec: SkippedRecord) => boolean): Promise<SkippedMember | null | 'fallback'> {
    const want = PROBE_INPUT_BYTES.at(-1)! + 1024;
    // Most members lie in the window already read: no await, no I/O.
    const view = this.#win.viewNow(start, want) ?? (await this.#win.view(start, want));
    if (view.length === 0) return null;
    const r = this.#probe(view, start, needsBody);
    if (r === 'fallback' || 'record' in r) return r;
    const end = this.#findEndNow(r.from, r.isize) ?? (await this.#findEnd(r.from, r.isize));
    return end < 0 ? 'fallback' : { record: r.rec, httpHead: r.httpHead, start, end };
  }

  /** Inflates the member's start until its head is seen; the member, or what its end search needs. */
  #probe(view: Buffer, start: number, needsBody: (rec: SkippedRecord) => boolean): SkippedMember | 'fallback' | { rec: SkippedRecord; httpHead: HttpHead | undefined; from: number; isize: number } {
    if (view.length < 18 || view[0] !== 0x1f || view[1] !== 0x8b || view[2] !== 0x08) return 'fallback';
    const hl = headerLength(view);
    if (hl < 0) return 'fallback';
    for (const probe of PROBE_INPUT_BYTES) {
      const input = view.subarray(hl, hl + probe);
      let out: Buffer;
      let used: number;
      try {
        const r = inflateRawSync(input, { info: true, finishFlush: constants.Z_SYNC_FLUSH }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
        out = r.buffer;
        used = r.engine.bytesWritten;
      } catch {
        return 'fallback';
      }
      const ended = used < input.length;
      const head = scanHead(out);
      if (!head) {
        if (ended || input.length < probe) return 'fallback';
        continue;
      }
      const scratch = new Anomalies(0);
      headAnomalies(head, scratch, start);
      const headers = new WarcHeaders(head.pairs);
      const fields = recordFields(headers, scratch, start);
      if (scratch.total > 0 || Number.isNaN(fields.contentLength)) return 'fallback';
      const rec: SkippedRecord = { version: head.version, type: headers.get('WARC-Type') ?? '', targetUri: fields.uri, date: fields.date, headers, contentLength: fields.contentLength };
      if (needsBody(rec)) return 'fallback';
      const blockStart = head.end;
      const size = blockStart + rec.contentLength + 4;
      const headBytes = Math.min(rec.contentLength, HTTP_HEAD_MAX_BYTES);
      const httpHead = parseHttpHead(out.subarray(blockStart, blockStart + headBytes));
      if (ended) {
        // Inflated whole: exactly one record, ending in CRLF CRLF, and the trailer's size agrees
        // (the CRC is verify's business; the index only needs the record's place).
        const t = view.subarray(hl + used, hl + used + 8);
        if (out.length !== size || t.length < 8 || t.readUInt32LE(4) !== size % 2 ** 32) return 'fallback';
        if (out[size - 4] !== 13 || out[size - 3] !== 10 || out[size - 2] !== 13 || out[size - 1] !== 10) return 'fallback';
        return { record: rec, httpHead, start, end: start + hl + used + 8 };
      }
      if (!httpHead && out.length - blockStart < headBytes && input.length === probe && probe !== PROBE_INPUT_BYTES.at(-1)) continue;
      return { rec, httpHead, from: start + hl + input.length, isize: size % 2 ** 32 };
    }
    return 'fallback';
  }

  /** `#findEnd` within the window already read, or undefined when it needs more of the file. */
  #findEndNow(from: number, isize: number): number | undefined {
    const view = this.#win.viewNow(from, 0);
    if (!view) return undefined;
    let i = view.indexOf(MAGIC, OVERLAP_BYTES);
    while (i >= 0) {
      if (view.readUInt32LE(i - 4) === isize && (view[i + 3] ?? 0) < 0x20) return from + i;
      i = view.indexOf(MAGIC, i + 1);
    }
    return undefined;
  }

  /** The end of the member whose compressed data runs past `from`: a magic preceded by `isize`, or the file's end. */
  async #findEnd(from: number, isize: number): Promise<number> {
    // `from` is where the inflated input stopped: the trailer (8 bytes) is at `from` at the earliest.
    let base = from;
    let first = OVERLAP_BYTES;
    for (;;) {
      const view = await this.#win.view(base, SEARCH_MIN_BYTES);
      const atEnd = this.#win.atEof;
      let i = view.indexOf(MAGIC, first);
      while (i >= 0) {
        if (view.readUInt32LE(i - 4) === isize && (view[i + 3] ?? 0) < 0x20) return base + i;
        i = view.indexOf(MAGIC, i + 1);
      }
      if (atEnd) {
        const n = view.length;
        return n >= OVERLAP_BYTES && view.readUInt32LE(n - 4) === isize ? base + n : -1;
      }
      // Slide, keeping the last bytes: a magic cut by the window edge is found in the next one.
      base += view.length - OVERLAP_BYTES;
      first = 4;
    }
  }
}
