import { readShard } from '../dataset/index.js';
import type { IndexDoc } from './index-store.js';

/** Columns of pages and chunks the index reads. */
export const PAGE_COLUMNS = ['url', 'url_host_name', 'title', 'fetch_time', 'score', 'quality', 'action'] as const;
export const CHUNK_COLUMNS = ['url', 'chunk_index', 'text'] as const;

export interface PageFields {
  url: string;
  url_host_name: string | null;
  title: string | null;
  fetch_time: Date | null;
  score: number | null;
  quality: number | null;
  action: string | null;
}

/** A page with neither a title nor text (failed, refused, not HTML) has nothing to find: not indexed. */
export function toDoc(p: PageFields, text: string, linkRank: number | null): IndexDoc | null {
  const title = p.title && p.title.trim().length > 0 ? p.title : null;
  if (title === null && text.length === 0) return null;
  return {
    url: p.url,
    title,
    host: p.url_host_name,
    fetchMs: p.fetch_time instanceof Date ? p.fetch_time.getTime() : null,
    score: typeof p.score === 'number' ? p.score : null,
    quality: typeof p.quality === 'number' ? p.quality : null,
    action: p.action,
    text,
    linkRank,
  };
}

/** Chunk texts of a page, in chunk order, as one text. */
export function joinChunks(chunks: { chunk_index: number; text: string }[]): string {
  return chunks
    .sort((a, b) => a.chunk_index - b.chunk_index)
    .map((c) => c.text)
    .join('\n');
}

/**
 * The documents of one checkpoint: its pages shard(s) joined with its chunks shard(s) in memory
 * (a checkpoint is small: collect bounds it with --checkpoint-every).
 */
export async function checkpointDocs(pageFiles: readonly string[], chunkFiles: readonly string[]): Promise<IndexDoc[]> {
  const chunks = new Map<string, { chunk_index: number; text: string }[]>();
  for (const f of chunkFiles) {
    for await (const rows of readShard(f, { columns: CHUNK_COLUMNS })) {
      for (const r of rows as unknown as { url: string; chunk_index: number; text: string }[]) {
        const list = chunks.get(r.url);
        if (list) list.push(r);
        else chunks.set(r.url, [r]);
      }
    }
  }
  const docs: IndexDoc[] = [];
  for (const f of pageFiles) {
    for await (const rows of readShard(f, { columns: PAGE_COLUMNS })) {
      for (const p of rows as unknown as PageFields[]) {
        const d = toDoc(p, joinChunks(chunks.get(p.url) ?? []), null);
        if (d) docs.push(d);
      }
    }
  }
  return docs;
}
