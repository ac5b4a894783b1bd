// WACZ 1.1.1 (Web Archive Collection Zipped): export a run as a package ReplayWeb.page opens, and
// verify one. Sits on warc/ and dataset/. See docs/wacz.md.
export { exportWacz } from './export-wacz.js';
export type { ExportWaczOptions, ExportWaczResult } from './export-wacz.js';
export { verifyWacz } from './verify-wacz.js';
export type { WaczProblem, WaczVerifyResult } from './verify-wacz.js';
export { ZipWriter } from './zip-writer.js';
export type { ZipEntryWritten, ZipWriterOptions } from './zip-writer.js';
export { ZipReader } from './zip-reader.js';
export type { ZipEntry } from './zip-reader.js';
export { WACZ_VERSION } from './datapackage.js';
export { ZIPNUM_MIN_LINES, ZIPNUM_BLOCK_LINES } from './wacz-index.js';
export { WaczError, ZipFormatError, ZipSizeMismatchError, WaczEmptyRunError } from './errors.js';
