import { is, resolveOptions, type Checks } from '../options/index.js';
import { resolveChunkOptions, type ChunkOptions } from '../chunk/index.js';
import { DEFAULT_PROFILE, validateProfile, type ScoringProfile } from '../score/index.js';

/** What every page is processed with; the same in-process (curate) and on the worker threads. */
export interface StageSettings {
  profile: ScoringProfile;
  chunk: ChunkOptions;
  /** Cap on extracted text per page (characters). */
  maxTextChars: number;
  /** Only this much HTML is parsed per page; the rest is ignored (anomaly html-truncated). */
  maxHtmlBytes: number;
  /** Chunks are only made for pages with at least this many words (0 = always). */
  chunkMinWords: number;
}

export type StageSettingsInput = Partial<Omit<StageSettings, 'chunk' | 'profile'>> & {
  chunk?: Partial<ChunkOptions>;
  profile?: ScoringProfile;
};

const checks: Checks<Omit<StageSettings, 'chunk' | 'profile'>> = {
  maxTextChars: [is.int(1000, 100_000_000), 'an integer from 1000 to 100000000'],
  maxHtmlBytes: [is.int(1024, 1024 ** 3), 'an integer from 1024 to 1 GiB'],
  chunkMinWords: [is.int(0), 'an integer >= 0'],
};

export const defaultStageSettings = { maxTextChars: 1_000_000, maxHtmlBytes: 32 * 1024 * 1024, chunkMinWords: 0 };

export function resolveStageSettings(given: StageSettingsInput = {}): StageSettings {
  const { chunk, profile, ...rest } = given;
  return {
    ...resolveOptions('stages', defaultStageSettings, checks, rest),
    chunk: resolveChunkOptions(chunk),
    // Profiles may come from code as plain objects: validate them as if loaded from a file.
    profile: profile === undefined ? DEFAULT_PROFILE : validateProfile(profile, 'options.profile'),
  };
}
