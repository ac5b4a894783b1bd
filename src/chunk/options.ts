import { is, resolveOptions, type Checks } from '../options/index.js';

export interface ChunkOptions {
  /** A chunk grows up to about this many tokens. */
  targetTokens: number;
  /** Tokens of trailing sentences repeated at the start of the next chunk (context for retrieval). */
  overlapTokens: number;
  /** Characters per token of the estimate (about 4 for English with BPE tokenizers). */
  charsPerToken: number;
}

export const defaultChunkOptions: ChunkOptions = { targetTokens: 256, overlapTokens: 32, charsPerToken: 4 };

const checks: Checks<ChunkOptions> = {
  targetTokens: [is.int(8, 1_000_000), 'an integer from 8 to 1000000'],
  overlapTokens: [is.int(0, 1_000_000), 'an integer >= 0 (less than targetTokens)'],
  charsPerToken: [is.number(0.5, 100), 'a number from 0.5 to 100'],
};

export function resolveChunkOptions(given?: Partial<ChunkOptions>): ChunkOptions {
  const o = resolveOptions('chunk', defaultChunkOptions, checks, given);
  if (o.overlapTokens >= o.targetTokens) {
    // Overlap as large as the chunk would never move forward.
    o.overlapTokens = Math.floor(o.targetTokens / 2);
  }
  return o;
}
