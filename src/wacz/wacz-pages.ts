import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { scanTable } from '../dataset/index.js';
import { extractPage } from '../extract/index.js';
import { httpPayload, readRecordAt } from '../warc/index.js';
import { httpHeader } from '../warc/http-head.js';
import { LineAppender } from '../warc/line-files.js';

/** The header line of `pages/pages.jsonl` (WACZ 1.1.1, "json-pages-1.0"). */
export const PAGES_HEADER = { format: 'json-pages-1.0', id: 'pages', title: 'All Pages', hasText: true } as const;

const HTML = /^(text\/html|application\/xhtml\+xml)/i;

export interface PagesOptions {
  /** Cap on each page's `text` (characters): ReplayWeb.page holds every page's text in memory for its search. */
  maxTextChars: number;
  /** Cap on a decoded body read for its text. */
  maxBodyBytes: number;
}

export interface PagesWritten {
  readonly path: string;
  readonly pages: number;
  readonly withText: number;
  /** Pages whose archived record could not be read for its text (listed without text). */
  readonly unreadable: number;
}

/**
 * Writes `pages.jsonl` for a run: one line per page of the `pages` table that has an archived
 * response (fetched, whatever its status), with `url`, `ts` (the record's WARC-Date, which is the
 * capture ReplayWeb.page opens), `title` and, for HTML, the extracted `text` that ReplayWeb.page's
 * full-text search indexes. Text comes from the archived record, not the dataset, so a page's text
 * is what replays. Page requisites (collect --page-requisites) have no pages row, so
 * they are archived and indexed but never listed as pages.
 */
export async function writePages(runDir: string, workDir: string, o: PagesOptions): Promise<PagesWritten> {
  const path = join(workDir, 'pages.jsonl');
  const out = await LineAppender.open(path, 'w');
  let pages = 0;
  let withText = 0;
  let unreadable = 0;
  try {
    await out.add(JSON.stringify(PAGES_HEADER));
    const columns = ['url', 'fetch_time', 'title', 'fetch_status', 'content_mime_type', 'warc_filename', 'warc_record_offset'];
    for await (const batch of scanTable(runDir, 'pages', { columns })) {
      for (const row of batch) {
        const file = row.warc_filename;
        const offset = row.warc_record_offset;
        if (typeof file !== 'string' || typeof offset !== 'number') continue;
        const url = String(row.url);
        let ts = row.fetch_time instanceof Date ? row.fetch_time.toISOString() : undefined;
        let title = typeof row.title === 'string' && row.title !== '' ? row.title : undefined;
        let text: string | undefined;
        try {
          const rec = await readRecordAt(join(runDir, file), offset);
          ts = rec.date ?? ts;
          if (HTML.test(String(row.content_mime_type ?? '')) && rec.type === 'response') {
            const { payload, head } = await httpPayload(rec.block, o.maxBodyBytes);
            const contentType = head ? (httpHeader(head, 'Content-Type') ?? null) : null;
            const extracted = extractPage({ url, body: payload, contentType, status: head?.status ?? null, maxTextChars: o.maxTextChars });
            text = extracted.text;
            title ??= extracted.title ?? undefined;
          }
        } catch {
          unreadable++;
        }
        if (ts === undefined) continue;
        const id = createHash('sha1').update(`${ts}/${url}`).digest('hex').slice(0, 24);
        await out.add(JSON.stringify({ id, url, ts, title: title ?? url, ...(text ? { text } : {}) }));
        pages++;
        if (text) withText++;
      }
    }
  } finally {
    await out.close();
  }
  return { path, pages, withText, unreadable };
}
