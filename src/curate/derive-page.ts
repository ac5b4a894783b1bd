import { errorCode, errorMessage } from '../errors/index.js';
import type { ChunkRow, ErrorRow, LinkRow, PageRow } from '../dataset/index.js';
import type { StageColumns, StageInput, StageResult } from '../stages/index.js';
import { httpPayload } from '../warc/index.js';
import type { ArchivedResponse, RecordSource } from './record-source.js';

/** Every column the stages fill in; a re-derived row starts from these cleared. */
export const STAGE_COLUMNS: readonly (keyof StageColumns)[] = [
  'title', 'description', 'canonical_url', 'language', 'content_languages', 'content_charset', 'content_mime_detected',
  'word_count', 'outlink_count', 'text_sha1', 'simhash', 'has_price', 'price', 'currency', 'buy_intent', 'paywall',
  'soft_404', 'quality', 'score', 'action', 'confidence', 'reason',
];

/** Stages whose dead letters curate re-derives (and so replaces in the errors table). */
export const DERIVED_STAGES: ReadonlySet<string> = new Set(['decode', 'extract', 'chunk', 'score', 'curate']);

/** The same test collect applies (src/collect/page-task.ts) before handing a body to the stages. */
const HTML_TYPES = /^(text\/html|application\/xhtml\+xml|text\/plain)/i;

export interface DerivedRows {
  page: PageRow;
  links: LinkRow[];
  chunks: ChunkRow[];
  errors: ErrorRow[];
  outcome: 'kept' | 'derived' | 'dead-letter' | 'unreadable';
}

export interface DeriveContext {
  records: RecordSource;
  /** Same cap as collect's decodeBody: 4 × the run's maxBodyBytes. */
  maxDecodedBytes: number;
  process(input: StageInput): Promise<StageResult>;
}

/**
 * Whether collect would have run the stages on this row: a 2xx answer archived in the WARC and no
 * fetch error. A 2xx with a fetch error is a body cut by a timeout or a reset (content_truncated
 * 'time' or 'disconnect'); collect skips those, and so do we.
 */
export function isDerivable(row: PageRow): boolean {
  const s = row.fetch_status;
  if (s === null || s < 200 || s >= 300) return false;
  if (row.warc_filename === null || row.warc_record_offset === null) return false;
  if (row.content_truncated === 'time' || row.content_truncated === 'disconnect') return false;
  return !(row.error_code?.startsWith('JVX_ERR_FETCH_') ?? false);
}

/**
 * The rows collect would have written for this pages row (src/collect/rows.ts), from the archived
 * response instead of the live one: fetch columns kept, stage columns, links, chunks and stage dead
 * letters derived again. Never throws for a page: an unreadable record is a dead letter of stage
 * `curate`.
 */
export async function derivePage(ctx: DeriveContext, row: PageRow): Promise<DerivedRows> {
  if (!isDerivable(row)) return { page: row, links: [], chunks: [], errors: [], outcome: 'kept' };
  const page: PageRow = { ...row, error_code: null, error_message: null };
  for (const c of STAGE_COLUMNS) (page as unknown as Record<string, unknown>)[c] = null;
  const out: DerivedRows = { page, links: [], chunks: [], errors: [], outcome: 'kept' };
  const deadLetter = (stage: string, code: string, message: string, outcome: DerivedRows['outcome']): DerivedRows => {
    page.error_code = code;
    page.error_message = message;
    out.errors.push({ url: row.url, stage, error_code: code, message, attempts: row.attempts, time: new Date() });
    out.outcome = outcome;
    return out;
  };

  let res: ArchivedResponse;
  try {
    res = await ctx.records.read({ url: row.url, warc_filename: row.warc_filename!, warc_record_offset: row.warc_record_offset! });
  } catch (err) {
    return deadLetter('curate', errorCode(err, 'JVX_ERR_CURATE_RECORD_UNREADABLE'), errorMessage(err), 'unreadable');
  }
  page.content_charset = charsetParam(res.contentType);
  if (res.contentType && !HTML_TYPES.test(res.contentType)) return out;
  if (res.bodyBytes === 0) return out;

  let body: Buffer;
  try {
    const decoded = await httpPayload(res.block, ctx.maxDecodedBytes);
    body = decoded.payload;
    if (decoded.truncated) page.content_truncated ??= 'length';
  } catch (err) {
    return deadLetter('decode', errorCode(err, 'JVX_ERR_HTTP_CONTENT_DECODING'), errorMessage(err), 'dead-letter');
  }
  const result = await ctx.process({
    url: row.fetch_redirect ?? row.url,
    body,
    contentType: res.contentType,
    status: row.fetch_status,
    errorCode: null,
    attempts: row.attempts ?? 1,
  });
  if (result.deadLetter) return deadLetter(result.deadLetter.stage, result.deadLetter.errorCode, result.deadLetter.message, 'dead-letter');
  Object.assign(page, result.columns);
  out.links = result.links.map((l) => ({ ...l, src_url: row.url }));
  out.chunks = result.chunks.map((c) => ({ ...c, url: row.url }));
  out.outcome = 'derived';
  return out;
}

/** The charset parameter of a Content-Type, as collect records it before extraction overrides it. */
function charsetParam(contentType: string | null): string | null {
  const params = (contentType ?? '').split(';').slice(1);
  const p = params.map((s) => s.trim()).find((s) => s.toLowerCase().startsWith('charset='));
  return p ? p.slice(8).replace(/"/g, '').toLowerCase() : null;
}
