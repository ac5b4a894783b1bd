/**
 * Scoring throughput, in-process on plain pages rows: `node --import tsx bench/score.ts`.
 * Baseline: the same rows through a loop that only reads the fields and sums them, to show what
 * the scorer itself costs. Checks its own work: every row scored, actions match a recount.
 */
import { createScorer, DEFAULT_PROFILE, type ScoreInput } from '../src/score/index.js';

const ROWS = Number(process.env.ROWS ?? 200_000);
const ROUNDS = Number(process.env.ROUNDS ?? 10);

function makeRows(n: number): ScoreInput[] {
  const rows: ScoreInput[] = [];
  let seed = 12345;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = 0; i < n; i++) {
    const failed = rnd() < 0.05;
    rows.push({
      fetch_status: failed ? null : rnd() < 0.95 ? 200 : 404,
      error_code: failed ? 'JVX_ERR_FETCH_TIMEOUT' : null,
      attempts: 1 + (rnd() < 0.1 ? 1 : 0),
      title: rnd() < 0.9 ? `Product title number ${i}` : null,
      description: rnd() < 0.8 ? 'A description that is long enough to count fully as a meta description.' : null,
      word_count: failed ? null : Math.floor(rnd() * 4000),
      language: rnd() < 0.9 ? 'en' : null,
      soft_404: rnd() < 0.03,
      paywall: rnd() < 0.05,
      buy_intent: failed ? null : Math.round(rnd() * 1000) / 1000,
    });
  }
  return rows;
}

const rows = makeRows(ROWS);
const score = createScorer(DEFAULT_PROFILE);

function baseline(): number {
  let acc = 0;
  for (const r of rows) acc += (r.word_count ?? 0) + (r.buy_intent ?? 0) + (r.fetch_status ?? 0) + (r.title?.length ?? 0);
  return acc;
}

function run(): Record<string, number> {
  const counts: Record<string, number> = { BUY: 0, MONITOR: 0, SKIP: 0 };
  for (const r of rows) counts[score(r).action]!++;
  return counts;
}

// Warm up both paths before timing.
run();
baseline();
let best = Infinity;
let bestBase = Infinity;
let counts: Record<string, number> = {};
for (let k = 0; k < ROUNDS; k++) {
  let t = performance.now();
  counts = run();
  best = Math.min(best, performance.now() - t);
  t = performance.now();
  baseline();
  bestBase = Math.min(bestBase, performance.now() - t);
}

const total = Object.values(counts).reduce((a, b) => a + b, 0);
if (total !== ROWS) throw new Error(`scored ${total} rows, expected ${ROWS}`);
const recount = { BUY: 0, MONITOR: 0, SKIP: 0 } as Record<string, number>;
for (const r of rows) {
  const s = score(r).score;
  recount[s > DEFAULT_PROFILE.thresholds.buy ? 'BUY' : s > DEFAULT_PROFILE.thresholds.monitor ? 'MONITOR' : 'SKIP']!++;
}
for (const a of ['BUY', 'MONITOR', 'SKIP']) if (recount[a] !== counts[a]) throw new Error(`action ${a}: ${counts[a]} vs recount ${recount[a]}`);
if (counts.BUY === 0 || counts.MONITOR === 0 || counts.SKIP === 0) throw new Error(`degenerate action mix ${JSON.stringify(counts)}`);

const recordsPerSec = Math.round(ROWS / (best / 1000));
console.log(JSON.stringify({
  bench: 'score',
  rows: ROWS,
  recordsPerSec,
  baselineRecordsPerSec: Math.round(ROWS / (bestBase / 1000)),
  costVsBaseline: Math.round((best / bestBase) * 10) / 10,
  actions: counts,
  meetsTarget: recordsPerSec >= 1_000_000,
}));
