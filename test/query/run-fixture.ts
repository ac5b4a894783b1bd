import { DatasetWriter, pageRowBase, type ChunkRow, type ErrorRow, type LinkRow, type PageRow } from '../../src/dataset/index.js';

/** Text that CSV and tables must handle: separators, quotes, line breaks, non-ASCII, empty. */
export const AWKWARD = ['plain', 'comma, inside', 'a "quoted" word', 'two\nlines', 'café 日本語 👩‍💻', ''];

export const T0 = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

export function pageRow(i: number): PageRow {
  const base = pageRowBase(`https://shop${i % 3}.example.co.uk/p/${i}${i % 4 === 0 ? `?q=${i}` : ''}`);
  if (i % 10 === 9) return { ...base, fetch_time: T0 + i, attempts: 1, error_code: 'JVX_ERR_ROBOTS_DISALLOWED', error_message: 'robots.txt disallows' };
  if (i % 10 === 8) return { ...base, fetch_time: new Date(T0 + i), attempts: 3, duration_ms: 3000, error_code: 'JVX_ERR_FETCH_TIMEOUT', error_message: 'timed out' };
  return {
    ...base,
    depth: i % 3,
    fetch_time: i % 2 === 0 ? T0 + i * 1000 : new Date(T0 + i * 1000),
    fetch_status: i % 7 === 0 ? 404 : 200,
    content_mime_type: 'text/html',
    content_charset: 'utf-8',
    content_length: 1000 + i,
    warc_filename: 'warc/w1-00001.warc.gz',
    warc_record_offset: 5_000_000_000 + i * 4096, // past 2^32: a real INT64
    warc_record_length: 900 + i,
    duration_ms: 10 + i,
    attempts: 1,
    title: `${AWKWARD[i % AWKWARD.length]} ${i}`,
    word_count: i * 10,
    outlink_count: i % 5,
    has_price: i % 2 === 0,
    price: i % 2 === 0 ? i + 0.25 : null,
    currency: i % 2 === 0 ? 'EUR' : null,
    paywall: false,
    score: (i * 37) % 100 + 0.5,
    action: (['BUY', 'MONITOR', 'SKIP'] as const)[i % 3]!,
    confidence: 0.75,
  };
}

export const linkRow = (i: number): LinkRow => ({
  src_url: `https://shop${i % 3}.example.co.uk/p/${i}`,
  dst_url: `https://${i % 4 === 0 ? 'other.test' : `shop${i % 3}.example.co.uk`}/l/${i}`,
  anchor_text: i % 2 ? null : AWKWARD[i % AWKWARD.length]!,
  rel: i % 3 ? null : 'nofollow',
  nofollow: i % 3 === 0,
});

export const chunkRow = (i: number): ChunkRow => ({
  url: `https://shop${i % 3}.example.co.uk/p/${i}`,
  chunk_index: i % 4,
  text: `chunk ${i} ${AWKWARD[i % AWKWARD.length]}`,
  char_start: i * 100,
  char_end: i * 100 + 50,
  token_count: 12,
  sha1: i.toString(16).padStart(40, '0'),
});

export const errorRow = (i: number): ErrorRow => ({
  url: `https://shop${i % 3}.example.co.uk/p/${i}`,
  stage: i % 2 ? 'fetch' : 'extract',
  error_code: i % 2 ? 'JVX_ERR_FETCH_TIMEOUT' : 'JVX_ERR_EXTRACT_FAILED',
  message: i % 3 ? 'went wrong' : null,
  attempts: i % 3 ? 3 : null,
  time: T0 + i,
});

export interface FixtureRows {
  pages: PageRow[];
  links: LinkRow[];
  chunks: ChunkRow[];
  errors: ErrorRow[];
}

export const PER_CHECKPOINT = { pages: 40, links: 30, chunks: 20, errors: 5 } as const;

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, k) => from + k);

/**
 * Writes `checkpoints` checkpoints the way collect does (append → stage → publish), with small row
 * groups so each shard has several; `unpublished` more are staged but never published (a checkpoint
 * in progress). Returns the rows that are committed.
 */
export async function writeRun(runDir: string, checkpoints: number, unpublished = 0): Promise<FixtureRows> {
  const w = await DatasetWriter.open({ runDir, worker: 'w1', rowGroupRows: 16 });
  const rows: FixtureRows = { pages: [], links: [], chunks: [], errors: [] };
  try {
    for (let seq = 1; seq <= checkpoints + unpublished; seq++) {
      const batch: FixtureRows = {
        pages: range((seq - 1) * PER_CHECKPOINT.pages, PER_CHECKPOINT.pages).map(pageRow),
        links: range((seq - 1) * PER_CHECKPOINT.links, PER_CHECKPOINT.links).map(linkRow),
        chunks: range((seq - 1) * PER_CHECKPOINT.chunks, PER_CHECKPOINT.chunks).map(chunkRow),
        errors: range((seq - 1) * PER_CHECKPOINT.errors, PER_CHECKPOINT.errors).map(errorRow),
      };
      w.append('pages', batch.pages);
      w.append('links', batch.links);
      w.append('chunks', batch.chunks);
      w.append('errors', batch.errors);
      const { shards } = await w.stage(seq);
      if (seq > checkpoints) continue;
      await w.publish(shards);
      rows.pages.push(...batch.pages);
      rows.links.push(...batch.links);
      rows.chunks.push(...batch.chunks);
      rows.errors.push(...batch.errors);
    }
  } finally {
    await w.close();
  }
  return rows;
}

/** What a row reads back as from RunDatabase.query: timestamps as Date, absent columns as null. */
export function asRead(row: object, columns: readonly { name: string; type: string }[]): Record<string, unknown> {
  const r = row as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = r[c.name] ?? null;
    out[c.name] = c.type === 'TIMESTAMP' && typeof v === 'number' ? new Date(v) : v;
  }
  return out;
}
