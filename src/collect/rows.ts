import type { LeasedUrl } from '../frontier/types.js';
import type { FetchResult } from '../fetch/index.js';
import { addStageOutcome, contentTypeColumns, errorRow, type DeadLetter, type PageRows, type StageResult } from '../stages/index.js';
import type { WarcLocation } from '../warc/index.js';
import { pageRowBase, type PageRow } from '../dataset/index.js';
import type { TableRows } from './checkpointer.js';

export interface PageOutcome {
  stage: StageResult | null;
  links: string[];
  deadLetter: DeadLetter | null;
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

/**
 * The pages row (plus links, chunks, dead letters) for a URL that was fetched, successfully or not:
 * the fetch columns from the live response, the rest through src/stages/page-rows.ts as curate does.
 */
export function buildRows(lease: LeasedUrl, result: FetchResult, location: WarcLocation | null, outcome: PageOutcome): PageRows {
  const attempts = lease.attempts + 1;
  const finalEx = result.exchanges.at(-1);
  const page: PageRow = {
    ...pageRowBase(lease.url),
    depth: lease.depth,
    fetch_time: new Date(result.startedAt),
    fetch_status: result.status,
    fetch_redirect: result.finalUrl !== result.url ? result.finalUrl : null,
    content_digest: location ? location.payloadDigest : null,
    ...contentTypeColumns(result.contentType),
    content_length: finalEx ? finalEx.body.length : null,
    content_truncated: result.truncated ?? (outcome.decodedTruncated ? 'length' : null),
    warc_filename: location?.filename ?? null,
    warc_record_offset: location?.offset ?? null,
    warc_record_length: location?.length ?? null,
    duration_ms: Math.round(result.durationMs),
    attempts,
    error_code: result.error?.code ?? null,
    error_message: result.error?.message ?? null,
  };
  const rows: PageRows = { pages: [page], links: [], chunks: [], errors: [] };
  if (result.error) rows.errors.push(errorRow(lease.url, 'fetch', result.error.code, result.error.message, attempts));
  addStageOutcome(rows, lease.url, attempts, outcome.stage, outcome.deadLetter);
  return rows;
}
