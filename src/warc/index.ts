// WARC archive: writer (WARC/1.1, gzip member per record, rotation, revisits), CDXJ index and
// run-wide lookup, lenient reader, crash repair and verification. See docs/warc.md.
export { WarcWriter } from './writer.js';
export type { WarcLocation, ExchangeMeta } from './writer.js';
export type { WarcWriterOptions } from './writer-options.js';
export { repairWarcs } from './repair.js';
export { WarcReader, readWarc, readRecordAt } from './reader.js';
export type { WarcReaderOptions, StoredRecord } from './reader.js';
export { WarcHeaders } from './record-parser.js';
export type { WarcRecord } from './record-parser.js';
export { Anomalies, ANOMALY_CODES } from './anomalies.js';
export type { Anomaly, AnomalyCode } from './anomalies.js';
export { cdxjEntriesOf, writeCdxjFor } from './index-warc.js';
export type { CdxjEntriesOptions } from './index-warc.js';
export { formatCdxj, parseCdxj } from './cdxj.js';
export type { CdxjEntry } from './cdxj.js';
export { RunIndex } from './lookup.js';
export { verifyWarc } from './verify.js';
export type { WarcProblem } from './verify.js';
export { httpPayload } from './http-payload.js';
export { parseHttpHead } from './http-head.js';
export type { HttpHead } from './http-head.js';
export { surt } from './surt.js';
export { base32, sha1Label } from './digest.js';
export { warcFileName, workerSequence } from './file-names.js';
export { WarcError, WarcFormatError, WarcWriteError, WarcWriterClosedError, WarcNotFoundError, WarcRunNotFoundError } from './errors.js';
