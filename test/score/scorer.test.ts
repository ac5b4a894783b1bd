import { describe, expect, it } from 'vitest';
import { createScorer, DEFAULT_PROFILE, validateProfile, type ScoreInput } from '../../src/score/index.js';

const good: ScoreInput = {
  fetch_status: 200,
  error_code: null,
  attempts: 1,
  title: 'Classic Leather Wallet',
  description: 'Full-grain leather, six card slots and a coin pocket, hand-stitched.',
  word_count: 300,
  language: 'en',
  soft_404: false,
  paywall: false,
  buy_intent: 1,
};
const score = createScorer();
const lengthNorm = (words: number): number => (100 * Math.log1p(words)) / Math.log1p(2000);

describe('default scoring formula', () => {
  it('final = clamp(0.4 quality + 30 buy_intent + 0.2 length_norm - 5 errors)', () => {
    const r = score(good);
    expect(r.quality).toBe(1);
    expect(r.score).toBeCloseTo(0.4 * 100 + 30 * 1 + 0.2 * lengthNorm(300), 2);
    expect(r.action).toBe('BUY');
    expect(r.reason).toMatch(/^BUY: quality \+40\.0, buy_intent \+30\.0, length_norm \+15\.0$/);
  });

  it('quality is built from its documented parts', () => {
    // Status 20 + title 15 + description 10 + text 25*words/300 + language 10 + not soft-404 10 + not paywall 10.
    expect(score({ ...good, word_count: 150 }).quality).toBe(0.875);
    expect(score({ ...good, title: null }).quality).toBe(0.85);
    expect(score({ ...good, title: 'Short' }).quality).toBe(0.925);
    expect(score({ ...good, description: 'short' }).quality).toBe(0.95);
    expect(score({ ...good, language: null }).quality).toBe(0.9);
    expect(score({ ...good, paywall: true }).quality).toBe(0.9);
    expect(score({ ...good, fetch_status: 500 }).quality).toBe(0.8);
    // A soft-404 is capped at 10 whatever else it has.
    expect(score({ ...good, soft_404: true }).quality).toBe(0.1);
  });

  it('errors subtract 5 each: failed attempts and a final error code', () => {
    const base = score(good).score;
    expect(score({ ...good, attempts: 3 }).score).toBeCloseTo(base - 10, 2);
    const failed = score({ ...good, fetch_status: null, error_code: 'JVX_ERR_FETCH_TIMEOUT', word_count: null, title: null, description: null, language: null, buy_intent: null, attempts: 3 });
    expect(failed.action).toBe('SKIP');
    expect(failed.score).toBe(0);
    expect(failed.reason).toMatch(/^SKIP: errors -15\.0/);
  });

  it('thresholds: BUY above 75, MONITOR above 50, SKIP otherwise (exactly 75 is MONITOR)', () => {
    // buy_intent chosen so that the score lands exactly on the thresholds.
    const rest = 0.4 * 100 + 0.2 * lengthNorm(300);
    const at = (target: number) => score({ ...good, buy_intent: (target - rest) / 30 });
    expect(at(75).action).toBe('MONITOR');
    expect(at(75.01).action).toBe('BUY');
    expect(at(50).action).toBe('SKIP');
    expect(at(50.01).action).toBe('MONITOR');
  });

  it('clamps to 0..100 and confidence grows with the distance from a threshold', () => {
    const generous = createScorer(validateProfile({ weights: { buy_intent: 200 } }));
    expect(generous(good).score).toBe(100);
    const near = score({ ...good, buy_intent: 0.68 });
    const far = score(good);
    expect(near.confidence).toBeLessThan(far.confidence);
    for (const r of [near, far]) expect(r.confidence).toBeGreaterThan(0);
    expect(far.confidence).toBeLessThanOrEqual(1);
    // Missing evidence lowers confidence even at the same distance.
    const bare = score({ ...good, title: null, buy_intent: null, word_count: 0, fetch_status: null, description: null, language: null });
    expect(bare.action).toBe('SKIP');
    expect(bare.confidence).toBeLessThan(score({ ...good, buy_intent: 0, word_count: 0, title: null, description: null, language: null, fetch_status: 404 }).confidence + 0.001);
  });

  it('names soft-404 and paywall in the reason', () => {
    expect(score({ ...good, soft_404: true }).reason).toMatch(/; soft-404$/);
    expect(score({ ...good, paywall: true }).reason).toMatch(/; paywall$/);
  });

  it('a profile changes the formula', () => {
    const strict = createScorer(validateProfile({ thresholds: { buy: 90, monitor: 80 } }));
    expect(strict(good).action).toBe('MONITOR');
    expect(DEFAULT_PROFILE.thresholds).toEqual({ buy: 75, monitor: 50 });
  });
});
