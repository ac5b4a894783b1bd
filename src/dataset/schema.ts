/**
 * The four tables of a run's dataset (docs/design.md, "Run folder"), written down once. The writer, the
 * query views over an empty run and docs/dataset.md all derive from these lists, so a column cannot
 * exist in one place and not another. `pages` reuses Common Crawl's columnar-index names.
 */
export type ColumnType = 'VARCHAR' | 'SMALLINT' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly doc: string;
}

export type TableName = 'pages' | 'links' | 'chunks' | 'errors';
export const TABLE_NAMES: readonly TableName[] = ['pages', 'links', 'chunks', 'errors'];

const col = (name: string, type: ColumnType, doc: string, nullable = true): Column => ({ name, type, nullable, doc });

export const PAGES_COLUMNS: readonly Column[] = [
  col('url', 'VARCHAR', 'URL as requested (normalized)', false),
  col('url_host_name', 'VARCHAR', 'host name of url, lower case'),
  col('url_host_registered_domain', 'VARCHAR', 'registered domain (public-suffix aware, tldts getDomain)'),
  col('url_path', 'VARCHAR', 'path of url'),
  col('url_query', 'VARCHAR', 'query of url without "?", null when absent'),
  col('depth', 'INTEGER', 'link depth from the seeds (0 = seed)'),
  col('fetch_time', 'TIMESTAMP', 'when the (last) fetch started, UTC, millisecond precision'),
  col('fetch_status', 'SMALLINT', 'HTTP status of the last answer; null when no HTTP answer'),
  col('fetch_redirect', 'VARCHAR', 'final target URL when redirected'),
  col('content_digest', 'VARCHAR', "'sha1:BASE32' of the payload"),
  col('content_mime_type', 'VARCHAR', 'media type from the Content-Type header'),
  col('content_mime_detected', 'VARCHAR', 'media type sniffed from the payload'),
  col('content_charset', 'VARCHAR', 'character set used to decode the payload'),
  col('content_languages', 'VARCHAR', 'comma-separated ISO-639 codes, as Common Crawl'),
  col('content_length', 'BIGINT', 'payload bytes (after content decoding)'),
  col('content_truncated', 'VARCHAR', "null, 'length', 'time' or 'disconnect'"),
  col('warc_filename', 'VARCHAR', 'WARC file holding the response, relative to the run folder'),
  col('warc_record_offset', 'BIGINT', 'byte offset of the record in warc_filename'),
  col('warc_record_length', 'BIGINT', 'compressed byte length of the record'),
  col('duration_ms', 'INTEGER', 'time spent on the URL, all attempts'),
  col('attempts', 'INTEGER', 'fetch attempts made'),
  col('error_code', 'VARCHAR', 'JVX_ERR_* code when the URL failed for good or was refused'),
  col('error_message', 'VARCHAR', 'human-readable reason for error_code'),
  col('title', 'VARCHAR', 'document title: the raw `<title>`'),
  col('headline', 'VARCHAR', 'article title without the site name (JSON-LD headline, og:title, `<h1>`, `<title>`)'),
  col('extraction_fallback', 'VARCHAR', "null, or why the main text gave way to fuller text: 'main-too-short', 'text-too-short'"),
  col('description', 'VARCHAR', 'meta description'),
  col('canonical_url', 'VARCHAR', 'rel=canonical target, absolute'),
  col('language', 'VARCHAR', 'main language detected from the text (ISO-639-1)'),
  col('word_count', 'INTEGER', 'words in the extracted text'),
  col('outlink_count', 'INTEGER', 'links found in the document'),
  col('text_sha1', 'VARCHAR', 'sha1 (hex) of the extracted text'),
  col('simhash', 'VARCHAR', '64-bit simhash of the text, 16 hex digits'),
  col('has_price', 'BOOLEAN', 'a price was found'),
  col('price', 'DOUBLE', 'the price found'),
  col('currency', 'VARCHAR', 'ISO-4217 currency of price'),
  col('buy_intent', 'DOUBLE', 'buy-intent signal, 0..1'),
  col('paywall', 'BOOLEAN', 'the page looks paywalled'),
  col('soft_404', 'BOOLEAN', 'the page looks like a "not found" page served with 200'),
  col('quality', 'DOUBLE', 'content quality, 0..1'),
  col('score', 'DOUBLE', 'ranking score, 0..100'),
  col('action', 'VARCHAR', 'BUY, MONITOR or SKIP'),
  col('confidence', 'DOUBLE', 'confidence of action, 0..1'),
  col('reason', 'VARCHAR', 'short explanation of action'),
];

export const LINKS_COLUMNS: readonly Column[] = [
  col('src_url', 'VARCHAR', 'page the link was found on', false),
  col('dst_url', 'VARCHAR', 'absolute link target', false),
  col('anchor_text', 'VARCHAR', 'text of the anchor, whitespace collapsed'),
  col('rel', 'VARCHAR', 'rel attribute as written'),
  col('nofollow', 'BOOLEAN', 'rel contains nofollow (or the page is nofollow)', false),
];

export const CHUNKS_COLUMNS: readonly Column[] = [
  col('url', 'VARCHAR', 'page the chunk comes from', false),
  col('chunk_index', 'INTEGER', '0-based position of the chunk in the page', false),
  col('text', 'VARCHAR', 'chunk text', false),
  col('char_start', 'INTEGER', 'offset of the first character in the extracted text', false),
  col('char_end', 'INTEGER', 'offset after the last character', false),
  col('token_count', 'INTEGER', 'estimated tokens', false),
  col('sha1', 'VARCHAR', 'sha1 (hex) of text', false),
];

export const ERRORS_COLUMNS: readonly Column[] = [
  col('url', 'VARCHAR', 'URL that failed', false),
  col('stage', 'VARCHAR', 'pipeline stage (fetch, extract, score, ...)', false),
  col('error_code', 'VARCHAR', 'JVX_ERR_* code', false),
  col('message', 'VARCHAR', 'error message'),
  col('attempts', 'INTEGER', 'attempts made before giving up'),
  col('time', 'TIMESTAMP', 'when it was given up, UTC, millisecond precision', false),
];

export const TABLE_COLUMNS: Readonly<Record<TableName, readonly Column[]>> = {
  pages: PAGES_COLUMNS,
  links: LINKS_COLUMNS,
  chunks: CHUNKS_COLUMNS,
  errors: ERRORS_COLUMNS,
};

/** Column list for CREATE TABLE; names are fixed identifiers above, never user input. */
export function columnsDdl(columns: readonly Column[]): string {
  return columns.map((c) => `"${c.name}" ${c.type}${c.nullable ? '' : ' NOT NULL'}`).join(', ');
}
