import { errorCode, errorMessage } from '../errors/index.js';
import type { PageRow } from '../dataset/index.js';
import {
  addStageOutcome, contentTypeColumns, decodeDeadLetter, isAnalysedType, stageInput, STAGE_COLUMNS,
  type DeadLetter, type PageRows, type StageInput, type StageResult,
} from '../stages/index.js';
import { httpPayload } from '../warc/index.js';
import type { ArchivedResponse, RecordSource } from './record-source.js';


export interface DerivedRows extends PageRows {
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
  if (!isDerivable(row)) return { pages: [row], links: [], chunks: [], errors: [], outcome: 'kept' };
  const page: PageRow = { ...row, error_code: null, error_message: null };
  for (const c of STAGE_COLUMNS) (page as unknown as Record<string, unknown>)[c] = null;
  const out: DerivedRows = { pages: [page], links: [], chunks: [], errors: [], outcome: 'kept' };
  const attempts = row.attempts ?? 1;
  const deadLetter = (dl: DeadLetter, outcome: DerivedRows['outcome']): DerivedRows => {
    addStageOutcome(out, row.url, attempts, null, dl);
    out.outcome = outcome;
    return out;
  };

  let res: ArchivedResponse;
  try {
    res = await ctx.records.read({ url: row.url, warc_filename: row.warc_filename!, warc_record_offset: row.warc_record_offset! });
  } catch (err) {
    return deadLetter({ stage: 'curate', errorCode: errorCode(err, 'JVX_ERR_CURATE_RECORD_UNREADABLE'), message: errorMessage(err) }, 'unreadable');
  }
  page.content_charset = contentTypeColumns(res.contentType).content_charset;
  if (!isAnalysedType(res.contentType)) return out;
  if (res.bodyBytes === 0) return out;

  let body: Buffer;
  try {
    const decoded = await httpPayload(res.block, ctx.maxDecodedBytes);
    body = decoded.payload;
    if (decoded.truncated) page.content_truncated ??= 'length';
  } catch (err) {
    return deadLetter(decodeDeadLetter(err), 'dead-letter');
  }
  const result = await ctx.process(stageInput(row.fetch_redirect ?? row.url, body, res.contentType, row.fetch_status, attempts));
  if (result.deadLetter) return deadLetter(result.deadLetter, 'dead-letter');
  addStageOutcome(out, row.url, attempts, result, null);
  out.outcome = 'derived';
  return out;
}
