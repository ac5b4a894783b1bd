// Re-deriving a run from its WARCs (`jarvix curate`) and re-scoring it (`jarvix score`), each
// swapped in as a new generation of tables, crash-safe. See docs/curate.md.
export { curateRun } from './curate-run.js';
export type { CurateSummary } from './curate-run.js';
export { scoreRun } from './score-run.js';
export type { ScoreSummary } from './score-run.js';
export { resolveCurateOptions, resolveScoreRunOptions } from './options.js';
export type { CurateOptions, ScoreRunOptions } from './options.js';
export { settleGeneration, STAGING_DIR, SWAP_MARKER, CURATE_WORKER } from './swap.js';
export type { SettleOutcome, SwapPlan } from './swap.js';
export { CurateRunNotFoundError, CurateRunUnsettledError, CurateRecordError, CurateSwapError } from './errors.js';
