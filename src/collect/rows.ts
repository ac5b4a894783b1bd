import type { LeasedUrl } from '../frontier/types.js';
import type { FetchResult } from '../fetch/index.js';
import type { StageResult } from '../stages/index.js';
import type { WarcLocation } from '../warc/index.js';
import { pageRowBase, type PageRow, type LinkRow, type ChunkRow, type ErrorRow } from '../dataset/index.js';
import type { TableRows } from './checkpointer.js';

export interface PageOutcome {
  stage: StageResult | null;
  links: string[];
  deadLetter: { stage: string; errorCode: string; message: string } | null;
  decodedTruncated: boolean;
}

/** A URL that ended without a fetch (robots, policy, a host given up): one pages row, no WARC pointer. */
export function refusedRows(lease: LeasedUrl, code: string, message: string, kind: 'refused' | 'failed'): TableRows {
  const page: PageRow = {
    ...pageRowBase(lease.url),
    depth: lease.depth,
    fetch_time: new Date(),
    attempts: lease.attempts,
    error_code: code,
    error_message: message,
  };
  const rows: TableRows = { pages: [page] };
  if (kind === 'failed') rows.errors = [errorRow(lease.url, 'fetch', code, message, lease.attempts)];
  return rows;
}

function errorRow(url: string, stage: string, code: string, message: string, attempts: number): ErrorRow {
  return { url, stage, error_code: code, message, attempts, time: new Date() };
}

/** The pages row (plus links, chunks, dead letters) for a URL that was fetched, successfully or not. */
export function buildRows(lease: LeasedUrl, result: FetchResult, location: WarcLocation | null, outcome: PageOutcome): TableRows {
  const attempts = lease.attempts + 1;
  const finalEx = result.exchanges.at(-1);
  const contentType = result.contentType;
  const [mime, ...params] = (contentType ?? '').split(';');
  const charsetParam = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('charset='));
  const page: PageRow = {
    ...pageRowBase(lease.url),
    depth: lease.depth,
    fetch_time: new Date(result.startedAt),
    fetch_status: result.status,
    fetch_redirect: result.finalUrl !== result.url ? result.finalUrl : null,
    content_digest: location ? location.payloadDigest : null,
    content_mime_type: mime?.trim().toLowerCase() || null,
    content_charset: charsetParam ? charsetParam.slice(8).replace(/"/g, '').toLowerCase() : null,
    content_length: finalEx ? finalEx.body.length : null,
    content_truncated: result.truncated ?? (outcome.decodedTruncated ? 'length' : null),
    warc_filename: location?.filename ?? null,
    warc_record_offset: location?.offset ?? null,
    warc_record_length: location?.length ?? null,
    duration_ms: Math.round(result.durationMs),
    attempts,
    error_code: result.error?.code ?? (outcome.deadLetter ? outcome.deadLetter.errorCode : null),
    error_message: result.error?.message ?? (outcome.deadLetter ? outcome.deadLetter.message : null),
  };
  const rows: { pages: PageRow[]; links: LinkRow[]; chunks: ChunkRow[]; errors: ErrorRow[] } = { pages: [page], links: [], chunks: [], errors: [] };
  if (result.error) rows.errors.push(errorRow(lease.url, 'fetch', result.error.code, result.error.message, attempts));
  if (outcome.deadLetter) rows.errors.push(errorRow(lease.url, outcome.deadLetter.stage, outcome.deadLetter.errorCode, outcome.deadLetter.message, attempts));
  const stage = outcome.stage;
  if (stage) Object.assign(page, stage.columns);
  if (stage?.links) rows.links.push(...stage.links.map((l) => ({ ...l, src_url: lease.url })));
  if (stage?.chunks) rows.chunks.push(...stage.chunks.map((c) => ({ ...c, url: lease.url })));
  return rows;
}
