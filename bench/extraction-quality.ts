// Extraction quality: `node --import tsx bench/extraction-quality.ts`
// Token F1 (bag of words, CJK per character) of the raw <title> and of the `headline` column
// against each fixture's article title, and of the main text against its article text,
// macro-averaged over the 21 pages of test/fixtures/extraction/ (7 layouts, 8 languages).
// These are our own fixtures, written alongside the extractor: the targets below are checked
// on them, not on the held-out pages the targets were set on.
import { scoreAll } from '../test/fixtures/extraction/score.js';

const HEADLINE_TARGET = 0.95;
const TEXT_TARGET = 0.92;

const scores = scoreAll();
const mean = (xs: number[]): number => Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(4));
const result = {
  bench: 'extraction-quality',
  fixtures: scores.length,
  set: 'own fixtures (test/fixtures/extraction), not the held-out pages',
  titleF1: mean(scores.map((s) => s.titleF1)),
  headlineF1: mean(scores.map((s) => s.headlineF1)),
  textF1: mean(scores.map((s) => s.textF1)),
  fallbacks: scores.filter((s) => s.fallback !== null).map((s) => `${s.name}:${s.fallback}`),
  worstText: [...scores].sort((a, b) => a.textF1 - b.textF1).slice(0, 3).map((s) => `${s.name}:${s.textF1.toFixed(3)}`),
  targets: { headlineF1: HEADLINE_TARGET, textF1: TEXT_TARGET },
  ok: false,
};
result.ok = result.headlineF1 >= HEADLINE_TARGET && result.textF1 >= TEXT_TARGET;
console.log(JSON.stringify(result));
if (!result.ok) process.exitCode = 1;
