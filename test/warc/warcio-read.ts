import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { WARCParser } from 'warcio';
import { base32 } from '../../src/warc/digest.js';

export interface WarcioView {
  type: string;
  uri: string | undefined;
  headers: Record<string, string>;
  offset: number;
  /** sha1:BASE32 of the raw block (parseHttp off) or of the raw HTTP payload (parseHttp on). */
  digest: string;
  status: number | undefined;
  length: number;
}

/** Reads a WARC with warcio.js, as a third-party reader would. */
export async function readWithWarcio(path: string, parseHttp: boolean): Promise<WarcioView[]> {
  const parser = new WARCParser(createReadStream(path), { parseHttp });
  const out: WarcioView[] = [];
  for await (const record of parser) {
    const raw = await record.readFully(false);
    const headers: Record<string, string> = {};
    for (const [k, v] of record.warcHeaders.headers as unknown as Iterable<[string, string]>) headers[k.toLowerCase()] = v;
    out.push({
      type: record.warcType ?? '',
      uri: record.warcTargetURI ?? undefined,
      headers,
      offset: parser.offset,
      digest: `sha1:${base32(createHash('sha1').update(raw).digest())}`,
      status: record.httpHeaders ? Number(record.httpHeaders.statusCode) : undefined,
      length: 0,
    });
  }
  return out;
}
