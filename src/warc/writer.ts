import { createHash } from 'node:crypto';
import { jarvixChannel } from '../channels/index.js';
import { mkdir, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { HttpExchange } from '../http/exchange.js';
import { cdxjEntry, formatCdxj } from './cdxj.js';
import { loadDedupFromIndex } from './dedup-load.js';
import { DedupCache } from './dedup-cache.js';
import { sha1Label } from './digest.js';
import { errorCode } from '../errors/index.js';
import { fsyncDir } from '../fs/index.js';
import { WarcWriteError, WarcWriterClosedError } from './errors.js';
import { cdxjNameFor, listWorkerWarcs, warcFileName } from './file-names.js';
import { gzipMember, writeAll, writeGzipMemberStream } from './gzip-member.js';
import { LineAppender, readLines, sortLines } from './line-files.js';
import {
  REVISIT_PROFILE,
  archivableResponseHead,
  mimeOfHead,
  newRecordId,
  recordTail,
  warcFieldsBlock,
  warcHead,
  warcinfoFields,
  type WarcFields,
} from './record-builder.js';
import { timestamp14, warcDate } from './warc-date.js';
import { resolveWriterOptions, type WarcWriterOptions, type ResolvedWriterOptions } from './writer-options.js';

/** Where a response (or revisit) record landed: what a `pages` row points at. */
export interface WarcLocation {
  /** Relative to the run folder, e.g. `warc/jarvix-….warc.gz`. */
  filename: string;
  offset: number;
  /** Compressed bytes of the response/revisit record. */
  length: number;
  /** `sha1:BASE32` of the body as received. */
  payloadDigest: string;
  revisit: boolean;
}

export interface ExchangeMeta {
  redirectChain?: readonly string[];
  fetchDurationMs: number;
  truncated: 'length' | 'time' | 'disconnect' | null;
}

interface OpenFile {
  readonly name: string;
  readonly fh: FileHandle;
  /** Bytes of whole records written so far. */
  length: number;
  readonly cdx: LineAppender;
}

/** A record ready to append: already compressed, or a stream compressed under the lock. */
type Prepared = { kind: 'buffer'; gz: Buffer } | { kind: 'stream'; pieces: () => AsyncIterable<Buffer> };

/**
 * Appends request/response/revisit/metadata records for each fetch to rotating WARC/1.1 files
 * (one gzip member per record), keeps a CDXJ index per file, and reports committed lengths for
 * checkpoints. Calls may overlap: records are compressed concurrently but appended one exchange
 * at a time through a promise chain, so they never interleave.
 */
/**
 * For observe/: `jarvix:warc:write:start` { id, url } and `jarvix:warc:write:end` { id, url, file,
 * bytes (request + response + metadata, compressed), revisit, errorCode } per exchange, paired by
 * `id`; `jarvix:warc:rotate` { file, bytes } when a file is finished (rotated or closed).
 */
const writeStart = jarvixChannel('warcWriteStart');
const writeEnd = jarvixChannel('warcWriteEnd');
const rotateChannel = jarvixChannel('warcRotate');
let lastWriteId = 0;

export class WarcWriter {
  readonly #o: ResolvedWriterOptions;
  readonly #dedup: DedupCache;
  readonly #closedFiles: { file: string; length: number }[];
  #nextSeq: number;
  #current: OpenFile | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #failure: Error | undefined;
  #closed = false;
  /** Exchanges being prepared (hashing, compressing) and not yet queued: close() waits for them. */
  readonly #preparing = new Set<Promise<unknown>>();

  private constructor(o: ResolvedWriterOptions, dedup: DedupCache, closedFiles: { file: string; length: number }[], nextSeq: number) {
    this.#o = o;
    this.#dedup = dedup;
    this.#closedFiles = closedFiles;
    this.#nextSeq = nextSeq;
  }

  static async open(options: WarcWriterOptions): Promise<WarcWriter> {
    const o = resolveWriterOptions(options);
    await mkdir(o.dir, { recursive: true });
    await mkdir(o.indexDir, { recursive: true });
    const existing = await listWorkerWarcs(o.dir, o.worker);
    const closedFiles = await Promise.all(existing.map(async (f) => ({ file: f.name, length: (await stat(join(o.dir, f.name))).size })));
    const nextSeq = existing.length === 0 ? 0 : existing.at(-1)!.seq + 1;
    const dedup = new DedupCache(o.dedupMaxEntries);
    await loadDedupFromIndex(o.indexDir, dedup);
    return new WarcWriter(o, dedup, closedFiles, nextSeq);
  }

  /** Archives one exchange: `request`, `response` (or `revisit`), `metadata`. Resolves once the records are appended. */
  writeExchange(ex: HttpExchange, meta: ExchangeMeta): Promise<WarcLocation> {
    this.#assertOpen();
    const id = writeStart.hasSubscribers || writeEnd.hasSubscribers ? ++lastWriteId : 0;
    if (id !== 0) writeStart.publish({ id, url: ex.url });
    const p = this.#write(ex, meta, id);
    if (id !== 0) p.catch((err: unknown) => writeEnd.publish({ id, url: ex.url, file: null, bytes: 0, revisit: false, errorCode: errorCode(err, 'JVX_ERR_WARC_WRITE') }));
    const tracked = p.catch(() => undefined);
    this.#preparing.add(tracked);
    void tracked.finally(() => this.#preparing.delete(tracked));
    return p;
  }

  async #write(ex: HttpExchange, meta: ExchangeMeta, id: number): Promise<WarcLocation> {
    const date = warcDate(ex.startedAt);
    const responseId = newRecordId();
    const requestId = newRecordId();
    const truncated = meta.truncated ?? ex.truncated;
    const payloadDigest = sha1Label(ex.body.sha1);
    const head = archivableResponseHead(ex.responseHead);
    const common: WarcFields = [
      ['WARC-Date', date],
      ['WARC-Target-URI', ex.url],
      ...(ex.remoteAddress ? ([['WARC-IP-Address', ex.remoteAddress]] as const) : []),
    ];

    // Identical-payload dedup: only whole 2xx bodies, never empty ones (every empty body shares one digest).
    const eligible = ex.statusCode >= 200 && ex.statusCode < 300 && truncated === null && ex.body.length > 0;
    const prior = eligible ? this.#dedup.get(payloadDigest) : undefined;
    if (eligible && prior === undefined) this.#dedup.set(payloadDigest, { uri: ex.url, date, recordId: responseId });

    const requestGz = this.#compress([
      warcHead(
        [['WARC-Type', 'request'], ['WARC-Record-ID', requestId], ...common, ['WARC-Concurrent-To', responseId],
          ['Content-Type', 'application/http;msgtype=request'], ['WARC-Block-Digest', sha1Label(createHash('sha1').update(ex.requestHead).digest())]],
        ex.requestHead.length,
      ),
      ex.requestHead,
      recordTail(),
    ]);
    const response = prior
      ? this.#revisit(head, responseId, common, payloadDigest, prior)
      : this.#response(ex, head, responseId, common, payloadDigest, truncated);
    const metaFields: [string, string][] = [['fetchTimeMs', String(Math.round(meta.fetchDurationMs))]];
    if (truncated) metaFields.push(['truncated', truncated]);
    for (const hop of meta.redirectChain ?? []) metaFields.push(['redirect', hop]);
    const metaBlock = warcFieldsBlock(metaFields);
    const metadataGz = this.#compress([
      warcHead(
        [['WARC-Type', 'metadata'], ['WARC-Record-ID', newRecordId()], ...common.filter(([k]) => k !== 'WARC-IP-Address'),
          ['WARC-Concurrent-To', responseId], ['Content-Type', 'application/warc-fields'],
          ['WARC-Block-Digest', sha1Label(createHash('sha1').update(metaBlock).digest())]],
        metaBlock.length,
      ),
      metaBlock,
      recordTail(),
    ]);
    const [req, res, md] = await Promise.all([requestGz, response, metadataGz]);

    return this.#serial(async () => {
      const file = await this.#fileForNext();
      const start = file.length;
      await this.#append(file, req);
      const offset = file.length;
      await this.#append(file, res);
      const length = file.length - offset;
      await this.#append(file, md);
      const entry = cdxjEntry({
        url: ex.url,
        timestamp: timestamp14(ex.startedAt),
        mime: prior ? 'warc/revisit' : mimeOfHead(head),
        status: String(ex.statusCode),
        digest: payloadDigest,
        length,
        offset,
        filename: file.name,
      });
      await file.cdx.add(formatCdxj(entry));
      if (id !== 0) writeEnd.publish({ id, url: ex.url, file: file.name, bytes: file.length - start, revisit: prior !== undefined, errorCode: null });
      return { filename: `${basename(this.#o.dir)}/${file.name}`, offset, length, payloadDigest, revisit: prior !== undefined };
    });
  }

  /** fsyncs the open file; returns every WARC file of this worker with its whole-record length. */
  sync(): Promise<{ file: string; length: number }[]> {
    return this.#serial(async () => {
      const out = [...this.#closedFiles];
      if (this.#current) {
        await this.#current.fh.sync();
        out.push({ file: this.#current.name, length: this.#current.length });
      }
      return out;
    });
  }

  /** Finishes the open file (fsync, sorted CDXJ). Later writes fail with JVX_ERR_WARC_WRITER_CLOSED. */
  async close(): Promise<void> {
    if (this.#closed) return this.#chain.then(() => undefined);
    this.#closed = true;
    await Promise.all([...this.#preparing]);
    await this.#serial(() => this.#finishCurrent());
  }

  #assertOpen(): void {
    if (this.#closed) throw new WarcWriterClosedError('WARC writer is closed');
    if (this.#failure) throw new WarcWriterClosedError('WARC writer failed earlier', { cause: this.#failure });
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(() => {
      if (this.#failure) throw new WarcWriterClosedError('WARC writer failed earlier', { cause: this.#failure });
      return fn();
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  #compress(parts: Buffer[]): Promise<Prepared> {
    return gzipMember(parts, this.#o.gzipLevel).then((gz) => ({ kind: 'buffer', gz }));
  }

  async #response(ex: HttpExchange, head: Buffer, id: string, common: WarcFields, payloadDigest: string, truncated: string | null): Promise<Prepared> {
    const body = ex.body;
    const blockLength = head.length + body.length;
    const small = blockLength <= this.#o.streamThresholdBytes;
    const bodyBuf = small ? await body.toBuffer() : undefined;
    const blockHash = createHash('sha1').update(head);
    if (bodyBuf) blockHash.update(bodyBuf);
    else for await (const c of body.chunks()) blockHash.update(c);
    const warc = warcHead(
      [['WARC-Type', 'response'], ['WARC-Record-ID', id], ...common, ['Content-Type', 'application/http;msgtype=response'],
        ['WARC-Payload-Digest', payloadDigest], ['WARC-Block-Digest', sha1Label(blockHash.digest())],
        ...(truncated ? ([['WARC-Truncated', truncated]] as const) : [])],
      blockLength,
    );
    if (bodyBuf) return this.#compress([warc, head, bodyBuf, recordTail()]);
    return {
      kind: 'stream',
      pieces: async function* () {
        yield warc;
        yield head;
        yield* body.chunks();
        yield recordTail();
      },
    };
  }

  #revisit(head: Buffer, id: string, common: WarcFields, payloadDigest: string, prior: { uri: string; date: string; recordId: string | undefined }): Promise<Prepared> {
    return this.#compress([
      warcHead(
        [['WARC-Type', 'revisit'], ['WARC-Record-ID', id], ...common, ['WARC-Profile', REVISIT_PROFILE],
          ['WARC-Refers-To-Target-URI', prior.uri], ['WARC-Refers-To-Date', prior.date],
          ...(prior.recordId ? ([['WARC-Refers-To', prior.recordId]] as const) : []),
          ['Content-Type', 'application/http;msgtype=response'], ['WARC-Payload-Digest', payloadDigest],
          ['WARC-Block-Digest', sha1Label(createHash('sha1').update(head).digest())]],
        head.length,
      ),
      head,
      recordTail(),
    ]);
  }

  async #append(file: OpenFile, rec: Prepared): Promise<void> {
    try {
      if (rec.kind === 'buffer') {
        await writeAll(file.fh, rec.gz, file.length);
        file.length += rec.gz.length;
      } else {
        file.length += await writeGzipMemberStream(file.fh, file.length, rec.pieces(), this.#o.gzipLevel);
      }
    } catch (err) {
      // The file now ends in a partial member past `length`; sync() keeps reporting only whole records.
      this.#failure = new WarcWriteError('cannot append WARC record', { file: file.name, offset: file.length, cause: err });
      throw this.#failure;
    }
  }

  async #fileForNext(): Promise<OpenFile> {
    if (this.#current && this.#current.length >= this.#o.maxFileBytes) await this.#finishCurrent();
    if (this.#current) return this.#current;
    const name = warcFileName(this.#o.run, this.#o.worker, this.#nextSeq++, Date.now());
    const fh = await open(join(this.#o.dir, name), 'wx');
    const cdx = await LineAppender.open(join(this.#o.indexDir, `${cdxjNameFor(name)}.tmp`), 'w');
    const file: OpenFile = { name, fh, length: 0, cdx };
    this.#current = file;
    const block = warcFieldsBlock(warcinfoFields({ run: this.#o.run, worker: this.#o.worker, extra: this.#o.warcinfo }));
    const info = await this.#compress([
      warcHead(
        [['WARC-Type', 'warcinfo'], ['WARC-Record-ID', newRecordId()], ['WARC-Date', warcDate(Date.now())], ['WARC-Filename', name],
          ['Content-Type', 'application/warc-fields'], ['WARC-Block-Digest', sha1Label(createHash('sha1').update(block).digest())]],
        block.length,
      ),
      block,
      recordTail(),
    ]);
    await this.#append(file, info);
    // A new file's directory entry must survive a power cut too, or a committed file could vanish.
    await fsyncDir(this.#o.dir);
    return file;
  }

  async #finishCurrent(): Promise<void> {
    const file = this.#current;
    if (!file) return;
    this.#current = undefined;
    await file.fh.sync();
    await file.fh.close();
    await file.cdx.close();
    const tmp = join(this.#o.indexDir, `${cdxjNameFor(file.name)}.tmp`);
    await sortLines(readLines(tmp), join(this.#o.indexDir, cdxjNameFor(file.name)));
    await rm(tmp, { force: true });
    this.#closedFiles.push({ file: file.name, length: file.length });
    if (rotateChannel.hasSubscribers) rotateChannel.publish({ file: file.name, bytes: file.length });
  }
}
