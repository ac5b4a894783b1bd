export { StagePool } from './stage-pool.js';
export type { StagePoolStats } from './stage-pool.js';
export { analysePage } from './analyse-page.js';
export { resolveStageSettings, defaultStageSettings } from './settings.js';
export type { StageSettings, StageSettingsInput } from './settings.js';
export { resolveStagePoolOptions, defaultThreads } from './options.js';
export type { StagePoolOptions, StagePoolInput } from './options.js';
export { StagePoolClosedError, STAGE_TIMEOUT, STAGE_WORKER_CRASHED } from './errors.js';
export type { StageInput, StageResult, StageSuccess, StageFailure, StageColumns, DeadLetter } from './types.js';
