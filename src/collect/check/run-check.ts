import { parseShardRel } from '../../dataset/index.js';
import { runPaths } from '../../run/index.js';
import { cheapCheck } from './cheap-check.js';
import { committedState } from './checkpoints.js';
import { fullCheck, type FullCheckFigures } from './full-check.js';
import { readLedger } from './ledger.js';
import { ProblemList, type CheckProblem, type CheckProgress } from './problems.js';

export interface CheckReport {
  run: string;
  /** 'cheap': listings and sizes; 'full': every shard, pointer and index read. */
  depth: 'cheap' | 'full';
  ok: boolean;
  problemCount: number;
  /** The first 10,000 problems. */
  problems: CheckProblem[];
  figures: Partial<FullCheckFigures> & { committedShards: number; workers: number };
}

export interface CheckRunOptions {
  dataDir: string;
  runId: string;
  redis?: string | undefined;
  depth?: 'cheap' | 'full';
  onProgress?: CheckProgress;
  /** Only this worker's shards and WARCs (a scale-out worker's own folder may hold no one else's). */
  worker?: string | undefined;
}

/** `jarvix check`: is every committed row and record of the run still there and whole (docs/check.md)? */
export async function checkRun(o: CheckRunOptions): Promise<CheckReport> {
  const paths = runPaths(o.dataDir, o.runId);
  const all = await committedState(paths.state, o.runId, o.redis);
  const mine = (rel: string): boolean => o.worker === undefined || parseShardRel(rel).worker === o.worker;
  const committed = o.worker === undefined ? all : { shards: all.shards.filter(mine), warcs: all.warcs.filter((w) => w.worker === o.worker), workers: [o.worker] };
  const ledger = await readLedger(paths.root);
  const problems = await cheapCheck(paths.root, committed, ledger, new ProblemList());
  const depth = o.depth ?? 'full';
  const figures: CheckReport['figures'] = { committedShards: committed.shards.length, workers: committed.workers.length };
  if (depth === 'full') Object.assign(figures, await fullCheck(paths.root, problems, o.onProgress));
  return { run: o.runId, depth, ok: problems.count === 0, problemCount: problems.count, problems: problems.items, figures };
}

/**
 * The cheap check as a warning for `status`, `report` and a resumed `collect`: one line per problem
 * (a few at most) and the way out, or nothing when the run is whole or cannot be checked.
 */
export async function damageWarning(o: { dataDir: string; runId: string; redis?: string | undefined; worker?: string | undefined }): Promise<string | null> {
  let report: CheckReport;
  try {
    report = await checkRun({ ...o, depth: 'cheap' });
  } catch {
    return null;
  }
  if (report.ok) return null;
  const lines = report.problems.slice(0, 5).map((p) => `  ${p.file}: ${p.detail} [${p.code}]`);
  if (report.problemCount > 5) lines.push(`  ... and ${report.problemCount - 5} more`);
  return (
    `warning: run ${o.runId} is damaged (${report.problemCount} problem${report.problemCount === 1 ? '' : 's'}), its figures may be wrong:\n${lines.join('\n')}\n` +
    `  see \`jarvix check --run ${o.runId}\`; \`jarvix collect --run ${o.runId} --repair\` fetches the lost pages again\n`
  );
}
