export * from './types.js';
export { SqliteFrontier } from './sqlite-frontier.js';
export type { SqliteFrontierOptions } from './sqlite-frontier.js';
export { FrontierError } from './frontier-error.js';
export type { FrontierErrorCode } from './frontier-error.js';
export { RedisFrontier, RedisFrontierError } from './redis-frontier.js';
export type { RedisFrontierOptions, RedisFrontierErrorCode, DedupLayout, DedupMode } from './redis-frontier.js';
