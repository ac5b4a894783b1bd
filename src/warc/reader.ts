import { open } from 'node:fs/promises';
import { Anomalies } from './anomalies.js';
import { WarcFormatError } from './errors.js';
import { FileCursor } from './file-cursor.js';
import { gzipMembers, type GzipMember } from './gzip-members.js';
import { PullReader } from './pull-reader.js';
import { parseRecord, recordFollows, type ParseContext, type WarcRecord } from './record-parser.js';

export interface WarcReaderOptions {
  /** Start reading at this file offset (a record or gzip member start). Default 0. */
  offset?: number;
  /** Stop after this many records. */
  maxRecords?: number;
  /** Fail with JVX_ERR_WARC_FORMAT unless a record starts exactly at `offset` (random access). */
  strictStart?: boolean;
  /** Read as gzip members (true) or plain (false); by default told by the first bytes at `offset`. */
  gzip?: boolean;
  /** Fail with JVX_ERR_WARC_FORMAT when no record at all is found. Default true. */
  requireRecord?: boolean;
}

/**
 * Lenient streaming reader of `.warc`, `.warc.gz` with one member per record, and whole-file gzip.
 * Each record's block streams from disk; read it (or not) before asking for the next record.
 * Whatever it works around is counted in `anomalies`, with offsets; a file with no record at all
 * ends the iteration with a JVX_ERR_WARC_FORMAT error.
 */
export class WarcReader {
  readonly path: string;
  readonly anomalies = new Anomalies();
  readonly #o: Required<Omit<WarcReaderOptions, 'gzip'>> & Pick<WarcReaderOptions, 'gzip'>;
  /** Records yielded so far. */
  count = 0;

  constructor(path: string, options: WarcReaderOptions = {}) {
    this.path = path;
    this.#o = { offset: 0, maxRecords: Number.POSITIVE_INFINITY, strictStart: false, requireRecord: true, ...options };
  }

  async *records(): AsyncGenerator<WarcRecord> {
    const fh = await open(this.path, 'r');
    try {
      const cursor = new FileCursor(fh, this.#o.offset);
      const head = await cursor.fill(2);
      if (head.length === 0 && this.#o.strictStart) throw new WarcFormatError('no record at this offset (end of file)', { file: this.path, offset: this.#o.offset });
      const gzip = this.#o.gzip ?? (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b);
      if (gzip) yield* this.#gzipRecords(cursor);
      else yield* this.#plainRecords(cursor);
      if (this.count === 0 && head.length > 0 && this.#o.requireRecord) throw new WarcFormatError('no WARC record found: not a WARC file', { file: this.path, offset: this.#o.offset });
    } finally {
      await fh.close();
    }
  }

  async *#plainRecords(cursor: FileCursor): AsyncGenerator<WarcRecord> {
    const base = cursor.pos;
    const reader = new PullReader(fileChunks(cursor));
    const ctx: ParseContext = {
      reader,
      anomalies: this.anomalies,
      offsetOf: (inner) => base + inner,
      memberComplete: () => true,
      gzip: false,
      afterDone: (rec) => {
        rec.length = base + reader.consumed - rec.offset;
      },
      recordFollows: () => recordFollows(reader),
    };
    while (this.count < this.#o.maxRecords) {
      const rec = await this.#next(ctx, base);
      if (rec === null) return;
      yield rec;
      await rec.done();
    }
  }

  async *#gzipRecords(cursor: FileCursor): AsyncGenerator<WarcRecord> {
    for await (const member of gzipMembers(cursor, this.anomalies)) {
      const reader = new PullReader(member.data);
      const ctx: ParseContext = {
        reader,
        anomalies: this.anomalies,
        offsetOf: () => member.start,
        memberComplete: () => member.complete,
        gzip: true,
        // The first record of a member, when it is alone in it, takes the member's length.
        afterDone: async (rec) => {
          if (rec.innerOffset === undefined && (await reader.atEnd())) rec.length = memberLength(member);
        },
        recordFollows: () => recordFollows(reader),
      };
      let inMember = 0;
      let previous: WarcRecord | undefined;
      while (this.count < this.#o.maxRecords) {
        const inner = reader.consumed;
        const rec = await this.#next(ctx, member.start);
        if (rec === null) break;
        inMember++;
        if (inMember > 1) {
          rec.innerOffset = inner;
          if (previous) previous.innerOffset ??= 0;
          if (inMember === 2) this.anomalies.add('gzip-shared-member', member.start, 'several records in one gzip member (whole-file gzip)');
        }
        yield rec;
        await rec.done();
        previous = rec;
      }
      if (this.count >= this.#o.maxRecords) return;
    }
  }

  async #next(ctx: ParseContext, start: number): Promise<WarcRecord | null> {
    const strict = this.#o.strictStart && this.count === 0;
    const rec = await parseRecord(ctx, strict);
    if (rec === 'no-record-here') throw new WarcFormatError('no WARC record starts at this offset', { file: this.path, offset: start });
    if (rec === null) {
      if (strict) throw new WarcFormatError('no whole WARC record at this offset', { file: this.path, offset: start });
      return null;
    }
    this.count++;
    return rec;
  }
}

function memberLength(member: GzipMember): number {
  return member.end > member.start ? member.end - member.start : 0;
}

async function* fileChunks(cursor: FileCursor): AsyncGenerator<Buffer> {
  for (;;) {
    const c = await cursor.take(1024 * 1024);
    if (c.length === 0) return;
    yield c;
  }
}

/** Iterates the records of a WARC file (see WarcReader). */
export function readWarc(path: string, options: WarcReaderOptions = {}): AsyncGenerator<WarcRecord> {
  return new WarcReader(path, options).records();
}

/** A record read whole (block up to a cap) by random access. */
export interface StoredRecord extends Omit<WarcRecord, 'blockChunks' | 'readBlock' | 'done'> {
  readonly block: Buffer;
}

/**
 * Random access: the record starting at `offset` (a value from a CDXJ line or a `pages` row),
 * reading nothing before it. JVX_ERR_WARC_FORMAT if no record starts there.
 */
export async function readRecordAt(path: string, offset: number, options: { maxBlockBytes?: number } = {}): Promise<StoredRecord> {
  const reader = new WarcReader(path, { offset, maxRecords: 1, strictStart: true });
  for await (const rec of reader.records()) {
    const block = await rec.readBlock(options.maxBlockBytes);
    await rec.done();
    const { blockChunks: _a, readBlock: _b, done: _c, ...rest } = rec;
    return { ...rest, block };
  }
  throw new WarcFormatError('no WARC record at this offset', { file: path, offset });
}
