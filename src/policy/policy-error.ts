import { JarvixError } from '../errors/index.js';

/** A bad allow/deny pattern, domain or blocked path, found when the gate is built (never mid-crawl). */
export class PolicyError extends JarvixError {
  /** The offending pattern or domain, as given. */
  readonly pattern: string;
  readonly option: string;
  constructor(
    code: 'JVX_ERR_POLICY_BAD_PATTERN' | 'JVX_ERR_POLICY_BAD_DOMAIN' | 'JVX_ERR_POLICY_BAD_BLOCKED_PATH' | 'JVX_ERR_POLICY_BAD_BLOCKED_PATHS_FILE',
    option: string, pattern: string, why: string) {
    super(code, `option ${option}: bad entry ${JSON.stringify(pattern)}: ${why}`);
    this.pattern = pattern;
    this.option = option;
  }
}
