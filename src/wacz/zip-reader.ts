import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { ZipFormatError } from './errors.js';

/** One entry of a ZIP's central directory, with where its data starts. */
export interface ZipEntry {
  readonly name: string;
  /** 0 = STORED, 8 = DEFLATE (others cannot be read here). */
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly headerOffset: number;
  /** Offset of the first data byte (after the local header). */
  readonly dataOffset: number;
}

const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;
const MAX_CENTRAL_DIRECTORY_BYTES = 256 * 1024 * 1024;

/**
 * Reads a ZIP's directory (ZIP64 included): the end record from the tail, then the central
 * directory, then each local header for the data offset. Data is read on demand, by range, so a
 * package of any size costs the directory's memory only.
 */
export class ZipReader {
  readonly path: string;
  readonly entries: readonly ZipEntry[];
  readonly #byName: Map<string, ZipEntry>;

  private constructor(path: string, entries: ZipEntry[]) {
    this.path = path;
    this.entries = entries;
    this.#byName = new Map(entries.map((e) => [e.name, e]));
  }

  static async open(path: string): Promise<ZipReader> {
    const fh = await open(path, 'r');
    try {
      return new ZipReader(path, await readDirectory(fh, path));
    } finally {
      await fh.close();
    }
  }

  entry(name: string): ZipEntry | undefined {
    return this.#byName.get(name);
  }

  /** The entry's bytes, uncompressed, as a stream of chunks (optionally a range of a STORED entry). */
  async *chunks(entry: ZipEntry, range?: { start: number; length: number }): AsyncGenerator<Buffer> {
    if (range && entry.method !== 0) throw new ZipFormatError('range read of a compressed entry', { file: this.path, entry: entry.name });
    const start = entry.dataOffset + (range?.start ?? 0);
    const length = range?.length ?? entry.compressedSize;
    if (length === 0) return;
    const raw = createReadStream(this.path, { start, end: start + length - 1, highWaterMark: 1024 * 1024 });
    if (entry.method === 0) {
      for await (const c of raw) yield c as Buffer;
    } else if (entry.method === 8) {
      for await (const c of raw.pipe(createInflateRaw())) yield c as Buffer;
    } else {
      raw.destroy();
      throw new ZipFormatError(`compression method ${entry.method} is not supported`, { file: this.path, entry: entry.name });
    }
  }

  /** The whole entry in memory (for the small JSON entries only). */
  async read(entry: ZipEntry, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    if (entry.size > maxBytes) throw new ZipFormatError(`entry is larger than ${maxBytes} bytes`, { file: this.path, entry: entry.name });
    const parts: Buffer[] = [];
    for await (const c of this.chunks(entry)) parts.push(c);
    return Buffer.concat(parts);
  }
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

async function readDirectory(fh: FileHandle, path: string): Promise<ZipEntry[]> {
  const { size } = await fh.stat();
  // The end record is 22 bytes plus a comment of at most 65535.
  const tailLen = Math.min(size, 22 + U16_MAX);
  const tail = await readAt(fh, size - tailLen, tailLen);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError('not a ZIP file: no end-of-central-directory record', { file: path });
  const eocdOffset = size - tailLen + at;
  let count = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  if (eocdOffset >= 20) {
    const locator = await readAt(fh, eocdOffset - 20, 20);
    if (locator.readUInt32LE(0) === 0x07064b50) {
      const rec = await readAt(fh, Number(locator.readBigUInt64LE(8)), 56);
      if (rec.length < 56 || rec.readUInt32LE(0) !== 0x06064b50) throw new ZipFormatError('ZIP64 end record missing where its locator points', { file: path });
      count = Number(rec.readBigUInt64LE(32));
      cdSize = Number(rec.readBigUInt64LE(40));
      cdOffset = Number(rec.readBigUInt64LE(48));
    }
  }
  if (cdOffset + cdSize > eocdOffset || cdSize > MAX_CENTRAL_DIRECTORY_BYTES) throw new ZipFormatError('central directory out of bounds (truncated file?)', { file: path });
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError(`central directory entry ${i} is damaged`, { file: path });
    const method = cd.readUInt16LE(p + 10);
    const crc32 = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressed = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let headerOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    // ZIP64 extra: only the fields whose 32-bit value is all ones, in this order.
    for (let q = 0; q + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(q);
      const len = extra.readUInt16LE(q + 2);
      if (id === 0x0001) {
        let r = q + 4;
        const next = (): number => {
          const v = Number(extra.readBigUInt64LE(r));
          r += 8;
          return v;
        };
        if (uncompressed === U32_MAX) uncompressed = next();
        if (compressedSize === U32_MAX) compressedSize = next();
        if (headerOffset === U32_MAX) headerOffset = next();
      }
      q += 4 + len;
    }
    p += 46 + nameLen + extraLen + commentLen;
    const local = await readAt(fh, headerOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) throw new ZipFormatError('local header missing where the central directory points', { file: path, entry: name });
    const dataOffset = headerOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (dataOffset + compressedSize > cdOffset) throw new ZipFormatError('entry data runs past the central directory', { file: path, entry: name });
    entries.push({ name, method, crc32, compressedSize, size: uncompressed, headerOffset, dataOffset });
  }
  return entries;
}
