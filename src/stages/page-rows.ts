import type { ChunkRow, ErrorRow, LinkRow, PageRow } from '../dataset/index.js';
import { errorCode, errorMessage } from '../errors/index.js';
import type { DeadLetter, StageColumns, StageInput, StageResult } from './types.js';

/**
 * "One response becomes these rows", written once. collect (src/collect/rows.ts, from the live
 * response) and curate (src/curate/derive-page.ts, from the archived one) both build their rows
 * with these functions, so curate writes exactly what collect wrote for the same response;
 * test/curate/curate.test.ts collects a run, curates it and compares every table row for row.
 */

/** The rows one URL contributes to the dataset. */
export interface PageRows {
  pages: PageRow[];
  links: LinkRow[];
  chunks: ChunkRow[];
  errors: ErrorRow[];
}

/** Every pages column the stages fill in; a re-derived row starts from these cleared. */
export const STAGE_COLUMNS: readonly (keyof StageColumns)[] = [
  'title', 'headline', 'extraction_fallback', 'description', 'canonical_url', 'language', 'content_languages', 'content_charset', 'content_mime_detected',
  'word_count', 'outlink_count', 'text_sha1', 'simhash', 'has_price', 'price', 'currency', 'buy_intent', 'paywall',
  'soft_404', 'quality', 'score', 'action', 'confidence', 'reason',
];

/** Dead-letter stages that only exist because the stages ran: curate re-derives them. */
export const DERIVED_STAGES: ReadonlySet<string> = new Set(['decode', 'extract', 'chunk', 'score', 'curate']);

const ANALYSED_TYPES = /^(text\/html|application\/xhtml\+xml|text\/plain)/i;

/**
 * Whether the stages run on a 2xx response with this Content-Type: HTML, XHTML, plain text, or no
 * type at all (sniffed by extraction). Anything else keeps its fetch columns only.
 */
export const isAnalysedType = (contentType: string | null): boolean => !contentType || ANALYSED_TYPES.test(contentType);

/** `content_mime_type` and `content_charset` as the Content-Type header gives them (extraction may refine the charset). */
export function contentTypeColumns(contentType: string | null): Pick<PageRow, 'content_mime_type' | 'content_charset'> {
  const [mime, ...params] = (contentType ?? '').split(';');
  const charset = params.map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('charset='));
  return {
    content_mime_type: mime?.trim().toLowerCase() || null,
    content_charset: charset ? charset.slice(8).replace(/"/g, '').toLowerCase() : null,
  };
}

export function errorRow(url: string, stage: string, code: string, message: string, attempts: number): ErrorRow {
  return { url, stage, error_code: code, message, attempts, time: new Date() };
}

/** The dead letter of a body whose Content-Encoding does not decode. */
export function decodeDeadLetter(err: unknown): DeadLetter {
  return { stage: 'decode', errorCode: errorCode(err, 'JVX_ERR_HTTP_CONTENT_DECODING'), message: errorMessage(err) };
}

/** What the stages are given for a response: its final URL, decoded body, type, status and attempts. */
export function stageInput(finalUrl: string, body: Uint8Array, contentType: string | null, status: number | null, attempts: number): StageInput {
  return { url: finalUrl, body, contentType, status, errorCode: null, attempts };
}

/**
 * Adds what the stages made of a page to its rows: the stage columns on the pages row, its links
 * and chunks; or, for a dead letter, the code on the pages row (unless the fetch already failed)
 * and an errors row. `rows.pages[0]` is the page.
 */
export function addStageOutcome(rows: PageRows, url: string, attempts: number, stage: StageResult | null, deadLetter: DeadLetter | null): void {
  const page = rows.pages[0]!;
  if (deadLetter) {
    page.error_code ??= deadLetter.errorCode;
    page.error_message ??= deadLetter.message;
    rows.errors.push(errorRow(url, deadLetter.stage, deadLetter.errorCode, deadLetter.message, attempts));
  }
  if (!stage?.columns) return;
  Object.assign(page, stage.columns);
  rows.links.push(...stage.links.map((l) => ({ ...l, src_url: url })));
  rows.chunks.push(...stage.chunks.map((c) => ({ ...c, url })));
}
