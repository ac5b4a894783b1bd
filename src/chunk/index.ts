export { chunkText, estimateTokens } from './chunk-text.js';
export type { Chunk } from './chunk-text.js';
export { resolveChunkOptions, defaultChunkOptions } from './options.js';
export type { ChunkOptions } from './options.js';
