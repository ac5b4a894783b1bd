import { channel } from 'node:diagnostics_channel';
import { scanTable, TABLE_NAMES, type ErrorRow, type PageRow } from '../dataset/index.js';
import { readManifest, runPaths } from '../run/index.js';
import { StagePool } from '../stages/index.js';
import { DERIVED_STAGES, derivePage, type DeriveContext } from './derive-page.js';
import { rebuildRunIndex } from '../search/index.js';
import { GenerationWriter } from './generation-writer.js';
import { flatten, mapOrdered } from './ordered-map.js';
import { resolveCurateOptions, type CurateOptions } from './options.js';
import { RecordSource } from './record-source.js';
import { acquireRun } from './run-guard.js';
import { commitGeneration, settleGeneration, type SettleOutcome } from './swap.js';

export interface CurateSummary {
  run: string;
  /** What an interrupted earlier curate/score left, and what was done about it. */
  settled: SettleOutcome;
  /** pages rows written (the same URLs as before, each once). */
  pages: number;
  /** Rows whose stage columns, links and chunks were derived again from the WARC. */
  derived: number;
  /** Rows kept as they were: failed, refused, non-HTML, empty bodies. */
  kept: number;
  /** Pages a stage (decode, extract, chunk, score) gave up on: dead letters, as collect records them. */
  deadLetters: number;
  /** Pages whose WARC record could not be read back (dead letters of stage `curate`). */
  unreadable: number;
  links: number;
  chunks: number;
  errors: number;
  durationMs: number;
}

/** `jarvix:curate:progress` { pages }: after each pages row is handed to the writer. */
const progressChannel = channel('jarvix:curate:progress');

/** collect's default; a run's own value comes from run.json. */
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Room for the HTTP head on top of the body in a response block. */
const HEAD_SLACK_BYTES = 1024 * 1024;

/**
 * `jarvix curate`: re-derives the extraction, chunk and score columns, the links and chunks tables
 * and the stage dead letters of a run from its WARCs, without any network, and swaps them in as a
 * new generation (swap.ts). Pages rows stream through: memory holds `inFlightPages` pages and one
 * staged batch of rows, whatever the run's size.
 */
export async function curateRun(options: Partial<CurateOptions>): Promise<CurateSummary> {
  const started = Date.now();
  const o = resolveCurateOptions(options);
  const paths = runPaths(o.dataDir, o.runId);
  const runDir = paths.root;
  const lock = await acquireRun(runDir, 'curate');
  const summary: CurateSummary = { run: o.runId, settled: 'none', pages: 0, derived: 0, kept: 0, deadLetters: 0, unreadable: 0, links: 0, chunks: 0, errors: 0, durationMs: 0 };
  let stages: StagePool | undefined;
  let writer: GenerationWriter | undefined;
  let records: RecordSource | undefined;
  try {
    summary.settled = await settleGeneration(runDir);
    const manifest = await readManifest(paths.manifest);
    const configured = manifest?.config.maxBodyBytes;
    const maxBodyBytes = typeof configured === 'number' && Number.isSafeInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_BODY_BYTES;
    records = new RecordSource(runDir, maxBodyBytes + HEAD_SLACK_BYTES);
    const pool = new StagePool({ threads: o.threads, maxQueue: o.inFlightPages, profile: o.profile });
    stages = pool;
    writer = await GenerationWriter.open(runDir, { stageEveryRows: o.stageEveryRows, stageEveryBytes: o.stageEveryBytes });
    // The same decoded-size cap as collect's fetcher (4 × maxBodyBytes).
    const ctx: DeriveContext = { records, maxDecodedBytes: Math.min(4 * maxBodyBytes, 2 ** 40), process: (input) => pool.process(input) };

    const rows = flatten(scanTable(runDir, 'pages')) as AsyncIterable<PageRow>;
    for await (const d of mapOrdered(rows, o.inFlightPages, (row) => derivePage(ctx, row))) {
      writer.append('pages', [d.page]);
      writer.append('links', d.links);
      writer.append('chunks', d.chunks);
      writer.append('errors', d.errors);
      summary.pages++;
      if (d.outcome === 'derived') summary.derived++;
      else if (d.outcome === 'kept') summary.kept++;
      else if (d.outcome === 'dead-letter') summary.deadLetters++;
      else summary.unreadable++;
      if (progressChannel.hasSubscribers) progressChannel.publish({ pages: summary.pages });
      await writer.flushIfFull();
    }
    // Dead letters of fetching, input lines and the like stay; the re-derived stages' were replaced above.
    for await (const batch of scanTable(runDir, 'errors')) {
      writer.append('errors', (batch as unknown as ErrorRow[]).filter((r) => !DERIVED_STAGES.has(r.stage)));
      await writer.flushIfFull();
    }
    await pool.close();
    stages = undefined;
    const counts = writer.rows;
    await writer.finish();
    writer = undefined;
    await commitGeneration(runDir, TABLE_NAMES);
    // The pages now live in new shards: the search index is built again over them (docs/search.md).
    await rebuildRunIndex(runDir);
    summary.links = counts.links;
    summary.chunks = counts.chunks;
    summary.errors = counts.errors;
  } catch (err) {
    await writer?.abandon();
    throw err;
  } finally {
    await stages?.close().catch(() => {});
    await records?.close().catch(() => {});
    await lock.release();
  }
  summary.durationMs = Date.now() - started;
  return summary;
}
