import { JarvixError } from '../errors/index.js';

export type GraphErrorCode =
  | 'JVX_ERR_GRAPH_RUN_NOT_FOUND'
  | 'JVX_ERR_GRAPH_NO_LINKS'
  | 'JVX_ERR_GRAPH_NOT_BUILT'
  | 'JVX_ERR_GRAPH_UNKNOWN_NODE'
  | 'JVX_ERR_GRAPH_FILE_CORRUPT'
  | 'JVX_ERR_GRAPH_TOO_LARGE'
  | 'JVX_ERR_GRAPH_BAD_REQUEST';

/** Base of every error the graph module throws on purpose; branch on `code`. */
export class GraphError extends JarvixError {
  declare readonly code: GraphErrorCode;
  constructor(code: GraphErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}

export class GraphRunNotFoundError extends GraphError {
  readonly runDir: string;
  constructor(runDir: string) {
    super('JVX_ERR_GRAPH_RUN_NOT_FOUND', `run folder ${runDir} not found`);
    this.runDir = runDir;
  }
}

/** The runs hold no link and no redirect: there is no graph to build. */
export class GraphNoLinksError extends GraphError {
  readonly runs: readonly string[];
  constructor(runs: readonly string[]) {
    super('JVX_ERR_GRAPH_NO_LINKS', `run ${runs.join(', ')} has no links and no redirects: nothing to graph (collect with --follow, or pages that link somewhere)`);
    this.runs = runs;
  }
}

/** A traversal asked for a level whose graph file does not exist yet. */
export class GraphNotBuiltError extends GraphError {
  readonly path: string;
  constructor(path: string, level: string, runId: string) {
    super('JVX_ERR_GRAPH_NOT_BUILT', `no ${level}-level graph for run ${runId} (${path} missing): run \`jarvix graph --run ${runId} --level ${level}\` first`);
    this.path = path;
  }
}

export class GraphUnknownNodeError extends GraphError {
  readonly node: string;
  constructor(node: string, level: string) {
    super('JVX_ERR_GRAPH_UNKNOWN_NODE', `${JSON.stringify(node)} is not a vertex of the ${level}-level graph`);
    this.node = node;
  }
}

export class GraphFileCorruptError extends GraphError {
  readonly path: string;
  constructor(path: string, why: string) {
    super('JVX_ERR_GRAPH_FILE_CORRUPT', `graph file ${path} is unreadable: ${why}`);
    this.path = path;
  }
}

/** Past what 32-bit ids and offsets address. */
export class GraphTooLargeError extends GraphError {
  constructor(what: string) {
    super('JVX_ERR_GRAPH_TOO_LARGE', `graph too large: ${what}`);
  }
}

/** A graph HTTP request with a missing or malformed parameter. */
export class GraphBadRequestError extends GraphError {
  readonly param: string;
  constructor(param: string, expected: string, given: string | null) {
    super('JVX_ERR_GRAPH_BAD_REQUEST', `parameter ${param}: expected ${expected}, got ${given === null ? 'nothing' : JSON.stringify(given)}`);
    this.param = param;
  }
}
