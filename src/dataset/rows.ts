import { parse as parseDomain } from 'tldts';

/**
 * Row shapes of the four tables; field names are the column names. Nullable columns are `T | null`.
 * Timestamps (`fetch_time`, `time`) take a Date or epoch milliseconds (UTC, what `Date.now()` gives);
 * the columns keep millisecond precision and read back as Date. BIGINT columns take a `number` (safe
 * integers: offsets and lengths never pass 2^53).
 */
export interface PageRow {
  url: string;
  url_host_name: string | null;
  url_host_registered_domain: string | null;
  url_path: string | null;
  url_query: string | null;
  depth: number | null;
  fetch_time: Date | number | null;
  fetch_status: number | null;
  fetch_redirect: string | null;
  content_digest: string | null;
  content_mime_type: string | null;
  content_mime_detected: string | null;
  content_charset: string | null;
  content_languages: string | null;
  content_length: number | null;
  content_truncated: 'length' | 'time' | 'disconnect' | null;
  warc_filename: string | null;
  warc_record_offset: number | null;
  warc_record_length: number | null;
  duration_ms: number | null;
  attempts: number | null;
  error_code: string | null;
  error_message: string | null;
  title: string | null;
  headline: string | null;
  extraction_fallback: string | null;
  description: string | null;
  canonical_url: string | null;
  language: string | null;
  word_count: number | null;
  outlink_count: number | null;
  text_sha1: string | null;
  simhash: string | null;
  has_price: boolean | null;
  price: number | null;
  currency: string | null;
  buy_intent: number | null;
  paywall: boolean | null;
  soft_404: boolean | null;
  quality: number | null;
  score: number | null;
  action: 'BUY' | 'MONITOR' | 'SKIP' | null;
  confidence: number | null;
  reason: string | null;
}

export interface LinkRow {
  src_url: string;
  dst_url: string;
  anchor_text: string | null;
  rel: string | null;
  nofollow: boolean;
}

export interface ChunkRow {
  url: string;
  chunk_index: number;
  text: string;
  char_start: number;
  char_end: number;
  token_count: number;
  sha1: string;
}

export interface ErrorRow {
  url: string;
  stage: string;
  error_code: string;
  message: string | null;
  attempts: number | null;
  /** Date or epoch ms, UTC */
  time: Date | number;
}

export interface TableRowMap {
  pages: PageRow;
  links: LinkRow;
  chunks: ChunkRow;
  errors: ErrorRow;
}

/**
 * A pages row with the url_* columns derived from `url` and everything else null, so producers set
 * only what they know. An unparsable URL keeps its text in `url` and nulls in the derived columns.
 */
export function pageRowBase(url: string): PageRow {
  let host: string | null = null;
  let path: string | null = null;
  let query: string | null = null;
  let domain: string | null = null;
  try {
    const u = new URL(url);
    host = u.hostname === '' ? null : u.hostname.toLowerCase();
    path = u.pathname;
    query = u.search.length > 1 ? u.search.slice(1) : null;
    // tldts wants a bare IPv6 host without brackets to recognise it as an IP (no registered domain).
    if (host !== null) domain = parseDomain(host.replace(/^\[|\]$/g, '')).domain;
  } catch {
    // unparsable: url stays as given, the derived columns stay null
  }
  return {
    url,
    url_host_name: host,
    url_host_registered_domain: domain,
    url_path: path,
    url_query: query,
    depth: null,
    fetch_time: null,
    fetch_status: null,
    fetch_redirect: null,
    content_digest: null,
    content_mime_type: null,
    content_mime_detected: null,
    content_charset: null,
    content_languages: null,
    content_length: null,
    content_truncated: null,
    warc_filename: null,
    warc_record_offset: null,
    warc_record_length: null,
    duration_ms: null,
    attempts: null,
    error_code: null,
    error_message: null,
    title: null,
    headline: null,
    extraction_fallback: null,
    description: null,
    canonical_url: null,
    language: null,
    word_count: null,
    outlink_count: null,
    text_sha1: null,
    simhash: null,
    has_price: null,
    price: null,
    currency: null,
    buy_intent: null,
    paywall: null,
    soft_404: null,
    quality: null,
    score: null,
    action: null,
    confidence: null,
    reason: null,
  };
}
