import { JarvixError } from '../errors/index.js';

/** A scoring profile that cannot be used: `path` names the field ("weights.buy_intent"), `source` the file. */
export class ScoreProfileError extends JarvixError {
  readonly path: string;
  readonly source: string | null;
  constructor(path: string, problem: string, source: string | null = null, cause?: unknown) {
    super('JVX_ERR_SCORE_PROFILE_INVALID', `scoring profile${source ? ` ${source}` : ''}: ${path || '(root)'}: ${problem}`, { cause });
    this.path = path;
    this.source = source;
  }
}
