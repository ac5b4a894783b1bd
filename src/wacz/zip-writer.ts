import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { ZipSizeMismatchError } from './errors.js';

/** What the writer learnt about an entry while copying it in. */
export interface ZipEntryWritten {
  readonly name: string;
  readonly bytes: number;
  readonly crc32: number;
  /** `sha256:<hex>` of the entry's bytes, as WACZ's datapackage.json wants it. */
  readonly sha256: string;
  /** Offset of the entry's data in the ZIP (its first byte). */
  readonly dataOffset: number;
}

interface CentralEntry extends ZipEntryWritten {
  readonly headerOffset: number;
  readonly zip64: boolean;
}

const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;
const FLAG_UTF8 = 0x0800;
const VERSION_ZIP64 = 45;
const VERSION_PLAIN = 20;
/** "made by" high byte 3 = Unix, so external attributes carry the file mode. */
const MADE_BY = (3 << 8) | VERSION_ZIP64;
const FILE_MODE = 0o100644;

export interface ZipWriterOptions {
  /** Write ZIP64 fields for every entry and the ZIP64 end records even when nothing needs them (tests). */
  forceZip64?: boolean;
  /** Modification time stored in every entry (DOS time, local-time fields written as UTC). */
  mtime?: Date;
}

/**
 * A ZIP writer for WACZ: STORED entries only, streamed, ZIP64 when an entry, an offset or the
 * entry count needs it. It writes to a file, not a pipe, because that lets each local header carry
 * the real CRC-32 (patched in place after the data) instead of a data descriptor: STORED entries
 * behind a data descriptor cannot be read by streaming unzippers, and precomputing the CRC would
 * read every WARC twice. Sizes are known up front (the sources are files), so the ZIP64 decision
 * for the local header is made before writing it. CRC-32 and SHA-256 are computed on the way
 * through; nothing is buffered beyond one read chunk.
 */
export class ZipWriter {
  readonly #fh: FileHandle;
  readonly #o: Required<ZipWriterOptions>;
  readonly #entries: CentralEntry[] = [];
  #pos = 0;

  private constructor(fh: FileHandle, o: Required<ZipWriterOptions>) {
    this.#fh = fh;
    this.#o = o;
  }

  static async create(path: string, options: ZipWriterOptions = {}): Promise<ZipWriter> {
    return new ZipWriter(await open(path, 'w'), { forceZip64: false, mtime: new Date(), ...options });
  }

  get entries(): readonly ZipEntryWritten[] {
    return this.#entries;
  }

  /** Copies a file in as entry `name`. */
  async addFile(name: string, path: string): Promise<ZipEntryWritten> {
    const { size } = await stat(path);
    return this.addStream(name, size, createReadStream(path, { highWaterMark: 1024 * 1024 }));
  }

  async addBuffer(name: string, data: Buffer): Promise<ZipEntryWritten> {
    return this.addStream(name, data.length, [data]);
  }

  /** Writes entry `name` from `chunks`, which must give exactly `size` bytes. */
  async addStream(name: string, size: number, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<ZipEntryWritten> {
    const headerOffset = this.#pos;
    const zip64 = this.#o.forceZip64 || size >= U32_MAX;
    const nameBytes = Buffer.from(name, 'utf8');
    const extra = zip64 ? zip64Extra([size, size]) : Buffer.alloc(0);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_PLAIN, 4);
    head.writeUInt16LE(FLAG_UTF8, 6);
    head.writeUInt16LE(0, 8); // STORED
    const [time, date] = dosDateTime(this.#o.mtime);
    head.writeUInt16LE(time, 10);
    head.writeUInt16LE(date, 12);
    head.writeUInt32LE(0, 14); // CRC-32, patched below once known
    head.writeUInt32LE(zip64 ? U32_MAX : size, 18);
    head.writeUInt32LE(zip64 ? U32_MAX : size, 22);
    head.writeUInt16LE(nameBytes.length, 26);
    head.writeUInt16LE(extra.length, 28);
    await this.#write(Buffer.concat([head, nameBytes, extra]));

    const dataOffset = this.#pos;
    const sha = createHash('sha256');
    let crc = 0;
    for await (const chunk of chunks) {
      crc = crc32(chunk, crc);
      sha.update(chunk);
      await this.#write(chunk);
    }
    const bytes = this.#pos - dataOffset;
    if (bytes !== size) throw new ZipSizeMismatchError(name, size, bytes);
    const crcBuf = Buffer.alloc(4);
    crcBuf.writeUInt32LE(crc >>> 0, 0);
    await this.#fh.write(crcBuf, 0, 4, headerOffset + 14);
    const entry: CentralEntry = { name, bytes, crc32: crc >>> 0, sha256: `sha256:${sha.digest('hex')}`, dataOffset, headerOffset, zip64 };
    this.#entries.push(entry);
    return entry;
  }

  /** Writes the central directory and end records, and closes the file. */
  async close(): Promise<void> {
    try {
      const cdOffset = this.#pos;
      for (const e of this.#entries) await this.#write(this.#centralHeader(e));
      const cdSize = this.#pos - cdOffset;
      const count = this.#entries.length;
      const needs64 = this.#o.forceZip64 || count >= U16_MAX || cdOffset >= U32_MAX || cdSize >= U32_MAX;
      if (needs64) {
        const eocd64Offset = this.#pos;
        const rec = Buffer.alloc(56);
        rec.writeUInt32LE(0x06064b50, 0);
        rec.writeBigUInt64LE(44n, 4); // size of the rest of this record
        rec.writeUInt16LE(MADE_BY, 12);
        rec.writeUInt16LE(VERSION_ZIP64, 14);
        rec.writeUInt32LE(0, 16);
        rec.writeUInt32LE(0, 20);
        rec.writeBigUInt64LE(BigInt(count), 24);
        rec.writeBigUInt64LE(BigInt(count), 32);
        rec.writeBigUInt64LE(BigInt(cdSize), 40);
        rec.writeBigUInt64LE(BigInt(cdOffset), 48);
        const locator = Buffer.alloc(20);
        locator.writeUInt32LE(0x07064b50, 0);
        locator.writeUInt32LE(0, 4);
        locator.writeBigUInt64LE(BigInt(eocd64Offset), 8);
        locator.writeUInt32LE(1, 16);
        await this.#write(Buffer.concat([rec, locator]));
      }
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(needs64 ? U16_MAX : count, 8);
      end.writeUInt16LE(needs64 ? U16_MAX : count, 10);
      end.writeUInt32LE(needs64 ? U32_MAX : cdSize, 12);
      end.writeUInt32LE(needs64 ? U32_MAX : cdOffset, 16);
      await this.#write(end);
      await this.#fh.sync();
    } finally {
      await this.#fh.close();
    }
  }

  /** Closes the file without finishing it (after a failure; the caller removes it). */
  async abort(): Promise<void> {
    await this.#fh.close().catch(() => undefined);
  }

  #centralHeader(e: CentralEntry): Buffer {
    const nameBytes = Buffer.from(e.name, 'utf8');
    const bigSize = e.zip64;
    const bigOffset = this.#o.forceZip64 || e.headerOffset >= U32_MAX;
    const fields: number[] = [];
    if (bigSize) fields.push(e.bytes, e.bytes);
    if (bigOffset) fields.push(e.headerOffset);
    const extra = fields.length > 0 ? zip64Extra(fields) : Buffer.alloc(0);
    const h = Buffer.alloc(46);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE(MADE_BY, 4);
    h.writeUInt16LE(fields.length > 0 ? VERSION_ZIP64 : VERSION_PLAIN, 6);
    h.writeUInt16LE(FLAG_UTF8, 8);
    h.writeUInt16LE(0, 10);
    const [time, date] = dosDateTime(this.#o.mtime);
    h.writeUInt16LE(time, 12);
    h.writeUInt16LE(date, 14);
    h.writeUInt32LE(e.crc32, 16);
    h.writeUInt32LE(bigSize ? U32_MAX : e.bytes, 20);
    h.writeUInt32LE(bigSize ? U32_MAX : e.bytes, 24);
    h.writeUInt16LE(nameBytes.length, 28);
    h.writeUInt16LE(extra.length, 30);
    h.writeUInt16LE(0, 32); // comment length
    h.writeUInt16LE(0, 34); // disk number start
    h.writeUInt16LE(0, 36); // internal attributes
    h.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
    h.writeUInt32LE(bigOffset ? U32_MAX : e.headerOffset, 42);
    return Buffer.concat([h, nameBytes, extra]);
  }

  async #write(data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.#fh.write(data, done, data.length - done, this.#pos);
      done += bytesWritten;
      this.#pos += bytesWritten;
    }
  }
}

/** The ZIP64 extended information extra field (0x0001) holding `values` as 8-byte integers. */
function zip64Extra(values: readonly number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}

/** MS-DOS time and date words (2-second precision, years 1980–2107), from UTC fields. */
function dosDateTime(d: Date): [number, number] {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1);
  const date = ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  return [time, date];
}
