import { JarvixError } from '../errors/index.js';

/** The run folder does not exist or holds no dataset. */
export class CurateRunNotFoundError extends JarvixError {
  readonly runDir: string;
  constructor(runDir: string) {
    super('JVX_ERR_CURATE_RUN_NOT_FOUND', `no run at ${runDir}`);
    this.runDir = runDir;
  }
}

/**
 * A collect checkpoint was interrupted (temp shards left in the table folders): the committed rows
 * are not all visible yet, so re-deriving now would miss or later duplicate them.
 */
export class CurateRunUnsettledError extends JarvixError {
  readonly runDir: string;
  readonly temps: readonly string[];
  constructor(runDir: string, temps: readonly string[]) {
    super('JVX_ERR_CURATE_RUN_UNSETTLED', `run ${runDir} has an interrupted collect checkpoint (${temps.slice(0, 3).join(', ')}${temps.length > 3 ? ', ...' : ''}): resume it with \`jarvix collect\` first`);
    this.runDir = runDir;
    this.temps = temps;
  }
}

/** The WARC record a pages row points at cannot be read back (missing file, bad offset, unresolvable revisit). */
export class CurateRecordError extends JarvixError {
  readonly url: string;
  readonly file: string;
  readonly offset: number;
  constructor(code: 'JVX_ERR_CURATE_RECORD_UNREADABLE' | 'JVX_ERR_CURATE_REVISIT_UNRESOLVED', url: string, file: string, offset: number, problem: string, cause?: unknown) {
    super(code, `${url}: ${file}@${offset}: ${problem}`, { cause });
    this.url = url;
    this.file = file;
    this.offset = offset;
  }
}

/** The swap marker of an interrupted generation cannot be applied (unreadable, or a staged shard is gone). */
export class CurateSwapError extends JarvixError {
  readonly runDir: string;
  constructor(runDir: string, problem: string, cause?: unknown) {
    super('JVX_ERR_CURATE_SWAP_FAILED', `run ${runDir}: ${problem}`, { cause });
    this.runDir = runDir;
  }
}
