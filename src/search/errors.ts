import { JarvixError } from '../errors/index.js';

/** The query cannot be searched: unbalanced quote, control character, nothing positive to look for, too long. */
export class SearchQueryError extends JarvixError {
  readonly query: string;
  /** 0-based character offset of the problem in the query, when there is one. */
  readonly position: number | null;
  constructor(code: 'JVX_ERR_SEARCH_QUERY_INVALID' | 'JVX_ERR_SEARCH_QUERY_EMPTY' | 'JVX_ERR_SEARCH_QUERY_TOO_LONG', query: string, detail: string, position: number | null = null) {
    const shown = query.length > 60 ? `${JSON.stringify(query.slice(0, 57))}...` : JSON.stringify(query);
    super(code, `search query ${shown}: ${detail}${position === null ? '' : ` (at character ${position + 1})`}`);
    this.query = query;
    this.position = position;
  }
}

/** The run has no search index (never built, or built before search existed). */
export class SearchIndexMissingError extends JarvixError {
  readonly runDir: string;
  constructor(runDir: string) {
    super('JVX_ERR_SEARCH_INDEX_MISSING', `run ${runDir} has no search index; build it with: jarvix index --run <id>`);
    this.runDir = runDir;
  }
}

/** An index file is not one this version can read (other schema version, or not an index at all). */
export class SearchIndexInvalidError extends JarvixError {
  readonly file: string;
  constructor(file: string, detail: string) {
    super('JVX_ERR_SEARCH_INDEX_INVALID', `search index ${file}: ${detail}; rebuild it with: jarvix index --run <id>`);
    this.file = file;
  }
}

/** `jarvix index` was pointed at a folder that is not there. */
export class SearchRunMissingError extends JarvixError {
  readonly runDir: string;
  constructor(runDir: string) {
    super('JVX_ERR_SEARCH_RUN_MISSING', `no run folder at ${runDir}`);
    this.runDir = runDir;
  }
}
