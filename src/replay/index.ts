// Reading archives back: the capture index over runs and WARC folders (SQLite, on disk), lookups
// by match type and nearest time, revisit resolution, HTML/CSS rewriting for replay, page text,
// change scores and diffs. The HTTP server (src/serve) is built on this. See docs/serve.md.
export { CaptureIndex } from './capture-index.js';
export type { CaptureQuery } from './capture-index.js';
export type { Capture } from './capture.js';
export { ingestSources, sourceLabel } from './ingest.js';
export type { ArchiveSource, IngestEvent, IngestOptions, IngestProblem, IngestSummary } from './ingest.js';
export { keyRanges, normalizeUrl, MATCH_TYPES } from './match.js';
export type { MatchType, KeyRange } from './match.js';
export { parseTimestamp, timestampMs, msTimestamp, httpDate } from './timestamp.js';
export { UrlRewriter, MODIFIERS } from './url-rewriter.js';
export type { Modifier } from './url-rewriter.js';
export { rewriteHtml } from './rewrite-html.js';
export { replayableCapture, replayHeaders } from './replay-capture.js';
export type { ReplayableCapture } from './replay-capture.js';
export { loadRecord, decodedBody, bodyText, contentTypeOf } from './record-loader.js';
export { htmlBlocks, htmlLinks, isHtmlMime, isTextMime } from './page-text.js';
export { diffLines, DIFF_TYPES } from './page-diff.js';
export type { DiffType, PageDiff, DiffBlock, DiffCounts } from './page-diff.js';
export { simhashDistance } from './change-scores.js';
export { ReplayError, BadTimestampError, BadUrlError, BadParameterError, NotCapturedError, RecordUnreadableError, RevisitUnresolvedError, SourceError } from './errors.js';
