export { createScorer } from './scorer.js';
export type { Scorer, ScoreInput, ScoreOutput, Action } from './scorer.js';
export { DEFAULT_PROFILE, validateProfile } from './profile.js';
export type { ScoringProfile } from './profile.js';
export { loadProfile, parseProfile } from './load-profile.js';
export { ScoreProfileError } from './errors.js';
