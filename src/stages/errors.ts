import { JarvixError } from '../errors/index.js';

export class StagePoolClosedError extends JarvixError {
  constructor() {
    super('JVX_ERR_STAGE_POOL_CLOSED', 'the stage pool is closed');
  }
}

/** Dead-letter codes of pages the worker pool gave up on. */
export const STAGE_TIMEOUT = 'JVX_ERR_STAGE_TIMEOUT';
export const STAGE_WORKER_CRASHED = 'JVX_ERR_STAGE_WORKER_CRASHED';
