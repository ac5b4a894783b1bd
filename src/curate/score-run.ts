import { scanTable, type PageRow } from '../dataset/index.js';
import { loadRankSignal } from '../graph/index.js';
import { runPaths } from '../run/index.js';
import { createScorer, DEFAULT_PROFILE, validateProfile, type Action } from '../score/index.js';
import { GenerationWriter } from './generation-writer.js';
import { resolveScoreRunOptions, type ScoreRunOptions } from './options.js';
import { acquireRun } from './run-guard.js';
import { rebuildRunIndex } from '../search/index.js';
import { commitGeneration, settleGeneration, type SettleOutcome } from './swap.js';

export interface ScoreSummary {
  run: string;
  profile: string;
  settled: SettleOutcome;
  pages: number;
  /** Rows that carry extraction features (the ones collect or curate scored); the rest stay unscored. */
  rescored: number;
  /** Rescored rows whose action differs from before. */
  changed: number;
  actions: Record<Action, number>;
  durationMs: number;
}

/**
 * `jarvix score`: applies a scoring profile to the stored feature columns of every scored pages
 * row and rewrites quality, score, action, confidence and reason only (quality is rewritten too: the
 * profile defines it). The pages table is swapped in as a new generation (swap.ts); links, chunks
 * and errors are untouched. Streams row group by row group.
 */
export async function scoreRun(options: Partial<ScoreRunOptions>): Promise<ScoreSummary> {
  const started = Date.now();
  const o = resolveScoreRunOptions(options);
  const profile = o.profile === undefined ? DEFAULT_PROFILE : validateProfile(o.profile, 'options.profile');
  const score = createScorer(profile);
  const runDir = runPaths(o.dataDir, o.runId).root;
  const lock = await acquireRun(runDir, 'score');
  const summary: ScoreSummary = { run: o.runId, profile: profile.name, settled: 'none', pages: 0, rescored: 0, changed: 0, actions: { BUY: 0, MONITOR: 0, SKIP: 0 }, durationMs: 0 };
  let writer: GenerationWriter | undefined;
  try {
    summary.settled = await settleGeneration(runDir);
    // The link-rank signal needs `jarvix graph` first; read only when the profile weighs it.
    const rankOf = profile.weights.rank === 0 ? null : await loadRankSignal(runDir);
    writer = await GenerationWriter.open(runDir, { stageEveryRows: o.stageEveryRows, stageEveryBytes: o.stageEveryBytes });
    for await (const batch of scanTable(runDir, 'pages')) {
      for (const row of batch as unknown as PageRow[]) {
        summary.pages++;
        // Unscored rows (failed, refused, non-HTML) have no features to score: collect leaves them null too.
        if (row.score === null) continue;
        const before = row.action;
        const s = score(rankOf === null ? row : { ...row, rank: rankOf(row.url) });
        row.quality = s.quality;
        row.score = s.score;
        row.action = s.action;
        row.confidence = s.confidence;
        row.reason = s.reason;
        summary.rescored++;
        summary.actions[s.action]++;
        if (before !== s.action) summary.changed++;
      }
      writer.append('pages', batch);
      await writer.flushIfFull();
    }
    await writer.finish();
    writer = undefined;
    await commitGeneration(runDir, ['pages']);
    // Scores, actions and so the static rank changed: the search index follows (docs/search.md).
    await rebuildRunIndex(runDir);
  } catch (err) {
    await writer?.abandon();
    throw err;
  } finally {
    await lock.release();
  }
  summary.durationMs = Date.now() - started;
  return summary;
}
