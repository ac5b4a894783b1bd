import { JarvixError } from '../../errors/index.js';

/** `jarvix check` on a run with no state to check against. */
export class CheckRunNotFoundError extends JarvixError {
  readonly run: string;
  constructor(run: string, where: string) {
    super('JVX_ERR_CHECK_RUN_NOT_FOUND', `no run ${run} in ${where}`);
    this.run = run;
  }
}

/** `collect --repair` where it cannot work (a Redis run: the repair re-queues URLs in state.sqlite). */
export class RepairUnsupportedError extends JarvixError {
  constructor(reason: string) {
    super('JVX_ERR_USAGE_REPAIR', `--repair: ${reason}`);
  }
}
