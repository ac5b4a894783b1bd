import { describe } from '../errors/index.js';
import { ScoreProfileError } from './errors.js';

/**
 * A scoring profile: the weights of the final formula, how `quality` is built, and the action
 * thresholds. docs/scoring.md defines every field; DEFAULT_PROFILE is JARVIX's formula made honest.
 */
export interface ScoringProfile {
  name: string;
  /** final = clamp(Σ weight × feature, 0, 100); `errors` carries its sign (-5 subtracts). */
  weights: { quality: number; buy_intent: number; length_norm: number; errors: number; rank: number };
  /** Points (summing to 100) that make `quality`, and its parameters. */
  quality: {
    status_ok: number;
    title: number;
    description: number;
    text: number;
    language: number;
    not_soft_404: number;
    not_paywall: number;
    /** Words at which the `text` points are complete. */
    text_full_words: number;
    /** A soft-404 page's quality is capped here, whatever else it has. */
    soft_404_cap: number;
  };
  /** length_norm = 100 × min(1, ln(1 + words) / ln(1 + full_words)). */
  length_norm: { full_words: number };
  /** Errors counted per page are capped here (so one flaky page is not -500). */
  errors: { max: number };
  /** BUY when score > buy, MONITOR when score > monitor, SKIP otherwise. */
  thresholds: { buy: number; monitor: number };
  /** Score distance from a threshold at which confidence reaches its maximum. */
  confidence: { band: number };
}

export const DEFAULT_PROFILE: ScoringProfile = Object.freeze({
  name: 'default',
  // rank 0: the link-graph signal is off unless a profile turns it on, so scores stay as they were.
  weights: { quality: 0.4, buy_intent: 30, length_norm: 0.2, errors: -5, rank: 0 },
  quality: {
    status_ok: 20, title: 15, description: 10, text: 25, language: 10, not_soft_404: 10, not_paywall: 10,
    text_full_words: 300, soft_404_cap: 10,
  },
  length_norm: { full_words: 2000 },
  errors: { max: 10 },
  thresholds: { buy: 75, monitor: 50 },
  confidence: { band: 20 },
}) as ScoringProfile;

type Spec = { [key: string]: Spec | [min: number, max: number] | 'string' };

const num = (min: number, max: number): [number, number] => [min, max];
const SPEC: Spec = {
  name: 'string',
  weights: { quality: num(-10, 10), buy_intent: num(-1000, 1000), length_norm: num(-10, 10), errors: num(-100, 100), rank: num(-10, 10) },
  quality: {
    status_ok: num(0, 100), title: num(0, 100), description: num(0, 100), text: num(0, 100), language: num(0, 100),
    not_soft_404: num(0, 100), not_paywall: num(0, 100), text_full_words: num(1, 1e9), soft_404_cap: num(0, 100),
  },
  length_norm: { full_words: num(1, 1e9) },
  errors: { max: num(0, 1000) },
  thresholds: { buy: num(0, 100), monitor: num(0, 100) },
  confidence: { band: num(0.001, 100) },
};

const QUALITY_POINTS = ['status_ok', 'title', 'description', 'text', 'language', 'not_soft_404', 'not_paywall'] as const;

/**
 * Validates a parsed profile (JSON or YAML) and fills what it leaves out from DEFAULT_PROFILE, so
 * a profile may change one weight only. Unknown keys, wrong types and out-of-range values throw
 * ScoreProfileError naming the field path.
 */
export function validateProfile(value: unknown, source: string | null = null): ScoringProfile {
  const merged = mergeChecked(value, SPEC, DEFAULT_PROFILE as unknown as Record<string, unknown>, '', source) as unknown as ScoringProfile;
  const q = merged.quality;
  const sum = QUALITY_POINTS.reduce((n, k) => n + q[k], 0);
  if (Math.abs(sum - 100) > 1e-9) {
    throw new ScoreProfileError('quality', `points ${QUALITY_POINTS.join(' + ')} must sum to 100, got ${sum}`, source);
  }
  if (merged.thresholds.buy <= merged.thresholds.monitor) {
    throw new ScoreProfileError('thresholds.buy', `must be above thresholds.monitor (${merged.thresholds.monitor}), got ${merged.thresholds.buy}`, source);
  }
  return merged;
}

function mergeChecked(value: unknown, spec: Spec, defaults: Record<string, unknown>, path: string, source: string | null): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ScoreProfileError(path, `expected an object, got ${describe(value)}`, source);
  }
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const at = path ? `${path}.${key}` : key;
    const rule = spec[key];
    if (rule === undefined) throw new ScoreProfileError(at, `unknown field (known: ${Object.keys(spec).join(', ')})`, source);
    if (rule === 'string') {
      if (typeof v !== 'string' || v.trim() === '') throw new ScoreProfileError(at, `expected a non-empty string, got ${describe(v)}`, source);
      out[key] = v;
    } else if (Array.isArray(rule)) {
      const [min, max] = rule;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ScoreProfileError(at, `expected a number, got ${describe(v)}`, source);
      if (v < min || v > max) throw new ScoreProfileError(at, `expected a number from ${min} to ${max}, got ${v}`, source);
      out[key] = v;
    } else {
      out[key] = mergeChecked(v, rule, defaults[key] as Record<string, unknown>, at, source);
    }
  }
  return out;
}
