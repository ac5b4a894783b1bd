import type { PageRow } from '../dataset/index.js';
import { DEFAULT_PROFILE, type ScoringProfile } from './profile.js';

/** What scoring reads: pages columns, so `jarvix score` can re-score a dataset row as it is. */
export type ScoreInput = Pick<
  PageRow,
  'fetch_status' | 'error_code' | 'attempts' | 'title' | 'description' | 'word_count' | 'language' | 'soft_404' | 'paywall' | 'buy_intent'
> & {
  /** Link rank percentile 0..100 from the page graph (docs/graph.md); absent or null counts 0. */
  rank?: number | null;
};

export type Action = 'BUY' | 'MONITOR' | 'SKIP';

export interface ScoreOutput {
  /** Content quality 0..1 (the formula's quality/100: the pages column is 0..1). */
  quality: number;
  /** 0..100 */
  score: number;
  action: Action;
  /** 0..1 */
  confidence: number;
  /** The action and the features that decided it, largest contribution first. */
  reason: string;
}

export type Scorer = (row: ScoreInput) => ScoreOutput;

/**
 * Compiles a profile into a scoring function: constants are read once, so one call is a few
 * dozen arithmetic operations and one short string (over a million rows a second on one core).
 */
export function createScorer(profile: ScoringProfile = DEFAULT_PROFILE): Scorer {
  const w = profile.weights;
  const q = profile.quality;
  const lnFull = Math.log1p(profile.length_norm.full_words);
  const maxErrors = profile.errors.max;
  const { buy, monitor } = profile.thresholds;
  const band = profile.confidence.band;
  const wq = w.quality, wb = w.buy_intent, wl = w.length_norm, we = w.errors, wr = w.rank;

  return (row) => {
    const status = row.fetch_status;
    const ok = status !== null && status >= 200 && status < 300 && row.error_code === null;
    const words = row.word_count ?? 0;
    const title = row.title;
    const description = row.description;
    const soft404 = row.soft_404 === true;
    const paywall = row.paywall === true;
    let quality = 0;
    if (ok) quality += q.status_ok;
    if (title !== null && title.length > 0) quality += title.length >= 10 && title.length <= 150 ? q.title : q.title / 2;
    if (description !== null && description.length > 0) quality += description.length >= 50 ? q.description : q.description / 2;
    quality += q.text * (words >= q.text_full_words ? 1 : words / q.text_full_words);
    if (row.language !== null) quality += q.language;
    if (!soft404) quality += q.not_soft_404;
    if (!paywall) quality += q.not_paywall;
    if (soft404 && quality > q.soft_404_cap) quality = q.soft_404_cap;

    const buyIntent = row.buy_intent ?? 0;
    const lengthNorm = words <= 0 ? 0 : Math.min(100, (100 * Math.log1p(words)) / lnFull);
    const failedAttempts = row.attempts !== null && row.attempts > 1 ? row.attempts - 1 : 0;
    const errors = Math.min(maxErrors, failedAttempts + (row.error_code !== null ? 1 : 0));

    const cq = wq * quality;
    const cb = wb * buyIntent;
    const cl = wl * lengthNorm;
    const ce = we * errors;
    // Only a profile with a rank weight reads the rank: with 0, scores are exactly what they were.
    const cr = wr === 0 ? 0 : wr * (row.rank ?? 0);
    let score = cq + cb + cl + ce + cr;
    score = score < 0 ? 0 : score > 100 ? 100 : score;
    score = Math.round(score * 100) / 100;

    let action: Action;
    let margin: number;
    if (score > buy) {
      action = 'BUY';
      margin = score - buy;
    } else if (score > monitor) {
      action = 'MONITOR';
      margin = Math.min(score - monitor, buy - score);
    } else {
      action = 'SKIP';
      margin = monitor - score;
    }
    // Confidence: how far the score sits from the nearest threshold, discounted when the row
    // lacks evidence (no answer, no title, no text: the score is mostly defaults).
    let evidence = 0;
    if (status !== null) evidence++;
    if (title !== null) evidence++;
    if (words > 0) evidence++;
    if (row.buy_intent !== null) evidence++;
    const closeness = margin >= band ? 1 : margin / band;
    const confidence = Math.round((0.5 + 0.5 * closeness) * (0.5 + evidence / 8) * 1000) / 1000;

    return { quality: Math.round(quality * 10) / 1000, score, action, confidence, reason: reasonText(action, [cq, cb, cl, ce, cr], soft404, paywall) };
  };
}

const NAMES = ['quality', 'buy_intent', 'length_norm', 'errors', 'rank'] as const;

/** "BUY: buy_intent +30.0, quality +34.0, length_norm +17.9" with soft-404/paywall flags when they apply. */
function reasonText(action: Action, values: readonly number[], soft404: boolean, paywall: boolean): string {
  // Insertion sort of five by |value|, descending: cheaper than Array.prototype.sort with a closure.
  // Stable, so a zero rank contribution stays behind the others and never shows.
  const order = [0, 1, 2, 3, 4];
  for (let i = 1; i < 5; i++) {
    const k = order[i]!;
    let j = i - 1;
    while (j >= 0 && Math.abs(values[order[j]!]!) < Math.abs(values[k]!)) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = k;
  }
  let out = `${action}:`;
  let n = 0;
  for (const i of order) {
    const v = values[i]!;
    if (v === 0 && n > 0) continue;
    out += `${n === 0 ? ' ' : ', '}${NAMES[i]} ${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
    if (++n === 3) break;
  }
  if (soft404) out += '; soft-404';
  if (paywall) out += '; paywall';
  return out;
}
