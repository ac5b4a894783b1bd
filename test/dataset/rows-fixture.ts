import { createHash } from 'node:crypto';
import { pageRowBase, type ChunkRow, type ErrorRow, type LinkRow, type PageRow } from '../../src/dataset/index.js';

/** Deterministic rows exercising every column type, nulls and non-ASCII text. */
export const UNICODE = ['café', 'Ελληνικά', '日本語のテキスト', 'עברית', '👩‍💻🚀', 'e\u0301', 'null\u0000byte', ''];

export function pageRow(i: number): PageRow {
  const row = pageRowBase(`https://shop${i % 7}.example.co.uk/p/${i}?q=${i}&x=${encodeURIComponent(UNICODE[i % UNICODE.length]!)}`);
  if (i % 5 === 4) return { ...row, error_code: 'JVX_ERR_ROBOTS_DISALLOWED', error_message: 'robots.txt', fetch_time: 1_700_000_000_000 + i };
  return {
    ...row,
    depth: i % 3,
    fetch_time: new Date(1_700_000_000_000 + i * 1001),
    fetch_status: i % 2 === 0 ? 200 : 404,
    fetch_redirect: i % 4 === 0 ? `https://shop.example.co.uk/r/${i}` : null,
    content_digest: `sha1:${createHash('sha1').update(String(i)).digest('hex').slice(0, 32).toUpperCase()}`,
    content_mime_type: 'text/html',
    content_charset: 'utf-8',
    content_languages: 'en,fr',
    content_length: 1000 + i,
    content_truncated: i % 9 === 0 ? 'length' : null,
    warc_filename: 'warc/w1-000001.warc.gz',
    warc_record_offset: 5_000_000_000 + i * 1024, // beyond 2^32: needs INT64
    warc_record_length: 900 + i,
    duration_ms: 12 + i,
    attempts: 1,
    title: `Title ${i} ${UNICODE[i % UNICODE.length]}`,
    word_count: i * 10,
    has_price: i % 2 === 0,
    price: i % 2 === 0 ? i + 0.99 : null,
    currency: i % 2 === 0 ? 'EUR' : null,
    paywall: false,
    score: (i % 100) + 0.5,
    action: (['BUY', 'MONITOR', 'SKIP'] as const)[i % 3]!,
    confidence: 0.25,
  };
}

export const linkRow = (i: number): LinkRow => ({ src_url: `https://a.test/${i}`, dst_url: `https://b.test/${i}`, anchor_text: i % 2 ? null : `→ ${i}`, rel: i % 3 ? null : 'nofollow', nofollow: i % 3 === 0 });
export const chunkRow = (i: number, text = `chunk ${i} ${UNICODE.join(' ')}`): ChunkRow => ({
  url: `https://a.test/${i}`,
  chunk_index: i % 4,
  text,
  char_start: i * 100,
  char_end: i * 100 + text.length,
  token_count: Math.ceil(text.length / 4),
  sha1: createHash('sha1').update(text).digest('hex'),
});
export const errorRow = (i: number): ErrorRow => ({ url: `https://a.test/${i}`, stage: 'fetch', error_code: 'JVX_ERR_FETCH_TIMEOUT', message: i % 2 ? null : 'timed out', attempts: i % 2 ? null : 3, time: 1_700_000_000_000 + i });

/** What a row reads back as: timestamps as Date, absent nullable columns as null. */
export function expected(row: object, columns: readonly { name: string; type: string }[]): Record<string, unknown> {
  const r = row as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = r[c.name] ?? null;
    if (c.type === 'TIMESTAMP' && typeof v === 'number') out[c.name] = new Date(v);
    else if (c.type === 'BIGINT' && typeof v === 'number') out[c.name] = BigInt(v);
    else out[c.name] = v;
  }
  return out;
}
