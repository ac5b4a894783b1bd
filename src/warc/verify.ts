import type { Hash } from 'node:crypto';
import { errorCode, errorMessage } from '../errors/index.js';
import type { AnomalyCode } from './anomalies.js';
import { digestChecker } from './digest.js';
import { headEnd } from './http-head.js';
import { WarcReader } from './reader.js';

/** One thing wrong in a WARC file, at the offset of the record (or gzip member) it concerns. */
export interface WarcProblem {
  readonly file: string;
  readonly offset: number;
  readonly problem: string;
  readonly code: string;
}

export function anomalyErrorCode(code: AnomalyCode): string {
  return `JVX_ERR_WARC_${code.toUpperCase().replace(/-/g, '_')}`;
}

const REQUIRED = ['WARC-Record-ID', 'WARC-Date', 'WARC-Type', 'Content-Length'];

/**
 * Checks every record of a file: it parses, Content-Length matches the bytes, each record is its
 * own whole gzip member (CRC and size), and block and payload digests match. Reads the file once,
 * streaming; returns the problems found (none for a valid file) and the record count.
 */
export async function verifyWarc(path: string): Promise<{ records: number; problems: WarcProblem[] }> {
  const problems: WarcProblem[] = [];
  const add = (offset: number, problem: string, code: string): void => {
    if (problems.length < 10_000) problems.push({ file: path, offset, problem, code });
  };
  const reader = new WarcReader(path);
  reader.anomalies.onAnomaly = (a) => add(a.offset, `${a.code}: ${a.detail}`, anomalyErrorCode(a.code));
  try {
    for await (const rec of reader.records()) {
      for (const name of REQUIRED) if (rec.headers.get(name) === undefined) add(rec.offset, `missing ${name}`, 'JVX_ERR_WARC_MISSING_HEADER');
      const blockLabel = rec.headers.get('WARC-Block-Digest');
      const block = blockLabel ? digestChecker(blockLabel) : undefined;
      if (blockLabel && !block) add(rec.offset, `unknown digest ${JSON.stringify(blockLabel)}`, 'JVX_ERR_WARC_UNKNOWN_DIGEST');
      const payloadLabel = rec.headers.get('WARC-Payload-Digest');
      const isHttp = /application\/http/i.test(rec.headers.get('Content-Type') ?? '');
      const payload = payloadLabel && isHttp && rec.type !== 'revisit' ? digestChecker(payloadLabel) : undefined;
      let payloadHash: Hash | undefined;
      let pending: Buffer | undefined = payload ? Buffer.alloc(0) : undefined;
      for await (const chunk of rec.blockChunks()) {
        block?.hash.update(chunk);
        if (payloadHash) payloadHash.update(chunk);
        else if (pending !== undefined && payload) {
          pending = Buffer.concat([pending, chunk]);
          const end = headEnd(pending);
          if (end >= 0) {
            payloadHash = payload.hash.update(pending.subarray(end));
            pending = undefined;
          } else if (pending.length > 1024 * 1024) pending = undefined;
        }
      }
      await rec.done();
      if (!rec.complete) continue;
      if (block && !block.matches(block.hash)) add(rec.offset, 'WARC-Block-Digest does not match the block', 'JVX_ERR_WARC_BLOCK_DIGEST');
      if (payload && !payloadHash) add(rec.offset, 'no HTTP head end found for the payload digest', 'JVX_ERR_WARC_HTTP_HEAD');
      else if (payload && payloadHash && !payload.matches(payloadHash)) add(rec.offset, 'WARC-Payload-Digest does not match the payload', 'JVX_ERR_WARC_PAYLOAD_DIGEST');
    }
  } catch (err) {
    const at = (err as { offset?: number }).offset ?? 0;
    add(at, errorMessage(err), errorCode(err, 'JVX_ERR_WARC_READ'));
  }
  return { records: reader.count, problems };
}
