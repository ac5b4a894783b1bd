import { join } from 'node:path';
import { errorMessage } from '../errors/index.js';
import { headerValue } from '../http/index.js';
import { parseHttpHead, readRecordAt, RunIndex, type CdxjEntry, type HttpHead } from '../warc/index.js';
import { CurateRecordError } from './errors.js';

/** What a pages row's WARC pointer leads to: the HTTP head and the body as received (content-encoding kept). */
export interface ArchivedResponse {
  head: HttpHead;
  /** Head then body, as one block (a revisit's own head with its original's body). */
  block: Buffer;
  /** Body bytes as received; 0 means collect had nothing to analyse. */
  bodyBytes: number;
  contentType: string | null;
  revisit: boolean;
}

export interface PagePointer {
  url: string;
  warc_filename: string;
  warc_record_offset: number;
}

/**
 * Random access to the responses pages rows point at (`warc_filename` is relative to the run
 * folder). A revisit is resolved to the capture it refers to through the run's CDXJ index: same
 * target URI and payload digest, nearest to WARC-Refers-To-Date. One record in memory per call,
 * capped at `maxBlockBytes`.
 */
export class RecordSource {
  readonly #runDir: string;
  readonly #maxBlockBytes: number;
  #index: Promise<RunIndex> | null = null;

  constructor(runDir: string, maxBlockBytes: number) {
    this.#runDir = runDir;
    this.#maxBlockBytes = maxBlockBytes;
  }

  async read(p: PagePointer): Promise<ArchivedResponse> {
    const rec = await this.#record(p, p.warc_filename, p.warc_record_offset);
    const head = parseHttpHead(rec.block);
    if (!head || head.status === undefined) throw this.#error(p, 'no HTTP response head in the record');
    if (rec.type === 'response') {
      return { head, block: rec.block, bodyBytes: rec.block.length - head.length, contentType: headerValue(head.headers, 'content-type') ?? null, revisit: false };
    }
    if (rec.type !== 'revisit') throw this.#error(p, `a ${rec.type} record, not a response`);
    const original = await this.#original(p, rec.headers.get('WARC-Refers-To-Target-URI') ?? rec.targetUri ?? p.url, rec.headers.get('WARC-Refers-To-Date'), rec.headers.get('WARC-Payload-Digest'));
    const source = await this.#record(p, join('warc', original.filename), original.offset);
    const sourceHead = parseHttpHead(source.block);
    if (!sourceHead || source.type !== 'response') throw this.#error(p, `revisit refers to ${original.filename}@${original.offset}, which is not a response`, 'JVX_ERR_CURATE_REVISIT_UNRESOLVED');
    const body = source.block.subarray(sourceHead.length);
    // The revisit's own head (what collect saw: its Content-Type and Content-Encoding) over the original's identical payload.
    const block = Buffer.concat([rec.block.subarray(0, head.length), body]);
    return { head, block, bodyBytes: body.length, contentType: headerValue(head.headers, 'content-type') ?? null, revisit: true };
  }

  async close(): Promise<void> {
    const index = this.#index;
    this.#index = null;
    if (index) (await index.catch(() => null))?.close();
  }

  async #record(p: PagePointer, rel: string, offset: number) {
    let rec;
    try {
      rec = await readRecordAt(join(this.#runDir, rel), offset, { maxBlockBytes: this.#maxBlockBytes });
    } catch (err) {
      throw this.#error(p, `cannot read the record: ${errorMessage(err)}`, 'JVX_ERR_CURATE_RECORD_UNREADABLE', err, rel, offset);
    }
    if (rec.blockTruncated || !rec.complete) throw this.#error(p, rec.blockTruncated ? `record larger than ${this.#maxBlockBytes} bytes` : 'record cut short', 'JVX_ERR_CURATE_RECORD_UNREADABLE', undefined, rel, offset);
    return rec;
  }

  async #original(p: PagePointer, uri: string, date: string | undefined, digest: string | undefined): Promise<CdxjEntry> {
    this.#index ??= RunIndex.open(join(this.#runDir, 'index'));
    const index = await this.#index;
    const bare = (digest ?? '').replace(/^sha1:/i, '');
    const same = index.captures(uri).filter((e) => e.mime !== 'warc/revisit' && e.digest === bare);
    const target = date ? Date.parse(date) : NaN;
    let best: CdxjEntry | undefined;
    let bestDistance = Infinity;
    for (const e of same) {
      const distance = Number.isNaN(target) ? 0 : Math.abs(cdxTime(e.timestamp) - target);
      if (distance < bestDistance) {
        best = e;
        bestDistance = distance;
      }
    }
    if (!best) throw this.#error(p, `revisit of ${uri} (${digest ?? 'no digest'}): no original capture in the run's index`, 'JVX_ERR_CURATE_REVISIT_UNRESOLVED');
    return best;
  }

  #error(p: PagePointer, problem: string, code: 'JVX_ERR_CURATE_RECORD_UNREADABLE' | 'JVX_ERR_CURATE_REVISIT_UNRESOLVED' = 'JVX_ERR_CURATE_RECORD_UNREADABLE', cause?: unknown, rel = p.warc_filename, offset = p.warc_record_offset): CurateRecordError {
    return new CurateRecordError(code, p.url, rel, offset, problem, cause);
  }
}

/** CDXJ timestamps are 14+ digits `yyyymmddhhmmss[SSS]`, UTC. */
function cdxTime(ts: string): number {
  const d = ts.replace(/\D/g, '');
  const ms = d.length > 14 ? Number(`0.${d.slice(14)}`) * 1000 : 0;
  return Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(8, 10), +d.slice(10, 12), +d.slice(12, 14)) + ms;
}
