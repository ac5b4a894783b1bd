/**
 * Every `JVX_ERR_*` code jarvix emits, with what it means, written once. Error classes, the
 * page-row outcome (refused / failed), the pool's overload signal, the report's SQL and
 * docs/errors.md all read this table, so a code's meaning cannot differ between them.
 * test/errors/catalog.test.ts fails, listing the codes, when src/ uses a code missing here.
 *
 * `refusal`: the URL was never requested on purpose (policy, robots); counted apart from failures.
 * `overload`: the host or the network may be saturated; the pool backs off on a rise of these.
 */
export interface ErrorCodeInfo {
  readonly meaning: string;
  readonly refusal?: true;
  readonly overload?: true;
}

const refusal = (meaning: string): ErrorCodeInfo => ({ meaning, refusal: true });
const overload = (meaning: string): ErrorCodeInfo => ({ meaning, overload: true });

export const ERROR_CODES = {
  // Options and the command line.
  JVX_ERR_OPTION_INVALID: { meaning: 'an option, argument or input value is not what was expected; the message names it, what was expected and what was given' },
  JVX_ERR_OPTION_UNKNOWN: { meaning: 'an option that the component does not know (a typo, or an option of another command)' },
  JVX_ERR_USAGE: { meaning: 'the command line is wrong (missing or conflicting arguments); exit code 2' },
  JVX_ERR_USAGE_SCOPE: { meaning: '`--scope` is not host, domain or any; exit code 2' },
  JVX_ERR_RESOLVE_RULE_INVALID: { meaning: 'a `--resolve PATTERN:ADDR[:PORT]` value does not parse' },
  JVX_ERR_UNKNOWN: { meaning: 'an error without a code of its own (a bug or an unexpected library error); the message says more' },

  // Input and URLs.
  JVX_ERR_INPUT_NOT_FOUND: { meaning: 'the `--input` file does not exist' },
  JVX_ERR_INPUT_UNREADABLE: { meaning: 'the `--input` file exists but cannot be read' },
  JVX_ERR_INPUT_LINE_TOO_LONG: { meaning: 'an input line is longer than 64 KiB; it is reported and skipped' },
  JVX_ERR_URL_INVALID: { meaning: 'a URL does not parse (WHATWG URL parser)' },
  JVX_ERR_URL_SCHEME: { meaning: 'a URL is not http or https' },

  // Policy gate and robots.txt: refusals, never requested.
  JVX_ERR_POLICY_SCHEME: refusal('refused: the scheme is not http or https'),
  JVX_ERR_POLICY_URL_TOO_LONG: refusal('refused: the URL is longer than the allowed maximum'),
  JVX_ERR_POLICY_DOMAIN_DENIED: refusal('refused: the host is on the deny list, or not on the allow list'),
  JVX_ERR_POLICY_PATTERN_DENIED: refusal('refused: the URL matches a deny pattern, or no allow pattern'),
  JVX_ERR_POLICY_PATH_BLOCKED: refusal('refused: the path is under a blocked path (by default /login, /auth, /account, /subscribe, /admin, /messages; see `--blocked-paths`)'),
  JVX_ERR_POLICY_OUT_OF_SCOPE: refusal('refused: a followed link leaves the `--scope` of its seed'),
  JVX_ERR_POLICY_DEPTH: refusal('refused: a followed link is deeper than `--depth`'),
  JVX_ERR_POLICY_PRIVATE_ADDRESS: refusal('refused: the host resolves to a private or loopback address and `--allow-private` is off'),
  JVX_ERR_POLICY_BAD_DOMAIN: { meaning: 'an allow/deny domain option is not a valid domain' },
  JVX_ERR_POLICY_BAD_PATTERN: { meaning: 'an allow/deny URL pattern option does not compile' },
  JVX_ERR_POLICY_BAD_BLOCKED_PATH: { meaning: 'a `--block-path` or a line of the `--blocked-paths` file is not a path prefix such as /login' },
  JVX_ERR_POLICY_BAD_BLOCKED_PATHS_FILE: { meaning: '`--blocked-paths` is neither none, default nor a readable file' },
  JVX_ERR_ROBOTS_DISALLOWED: refusal("refused: the host's robots.txt disallows the URL (or robots.txt was unreachable or 5xx: disallow all for a while)"),

  // Fetch.
  JVX_ERR_FETCH_DNS: { meaning: 'the host name does not resolve' },
  JVX_ERR_FETCH_REFUSED: { meaning: 'the server refused the connection' },
  JVX_ERR_FETCH_RESET: { meaning: 'the connection was reset or closed mid-exchange' },
  JVX_ERR_FETCH_UNREACHABLE: { meaning: 'the host or network is unreachable' },
  JVX_ERR_FETCH_NETWORK: { meaning: 'another network error' },
  JVX_ERR_FETCH_TLS: { meaning: 'the TLS handshake or certificate failed' },
  JVX_ERR_FETCH_PROTOCOL: { meaning: 'the server broke HTTP (unparseable or oversized head)' },
  JVX_ERR_FETCH_TIMEOUT_CONNECT: overload('no connection within the timeout'),
  JVX_ERR_FETCH_TIMEOUT_HEADERS: overload('no response head within the timeout'),
  JVX_ERR_FETCH_TIMEOUT_BODY: overload('the body stalled longer than the timeout'),
  JVX_ERR_FETCH_TIMEOUT_TOTAL: overload('the whole exchange took longer than `--timeout-ms`'),
  JVX_ERR_FETCH_BODY_CAP: { meaning: 'the body is larger than the cap on received or decoded bytes; the kept part is archived, marked truncated' },
  JVX_ERR_FETCH_BODY_STORE: { meaning: 'the body could not be spooled to its temporary store (disk full, I/O error)' },
  JVX_ERR_FETCH_INVALID_URL: { meaning: 'the URL to fetch (or a redirect target) does not parse' },
  JVX_ERR_FETCH_UNSUPPORTED_SCHEME: { meaning: 'the URL to fetch (or a redirect target) is not http or https' },
  JVX_ERR_FETCH_REDIRECT_LOOP: { meaning: 'a redirect leads back to a URL already visited in the chain' },
  JVX_ERR_FETCH_TOO_MANY_REDIRECTS: { meaning: 'more redirects than allowed' },
  JVX_ERR_FETCH_REDIRECT_REFUSED: { meaning: 'a redirect hop was refused by the policy gate or robots.txt; the hop is never requested' },
  JVX_ERR_FETCH_HOST_GIVEN_UP: { meaning: 'the host kept failing and was given up; its remaining URLs are recorded with this code' },
  JVX_ERR_HTTP_429: overload('the server answered 429 Too Many Requests to the last attempt'),
  JVX_ERR_HTTP_5XX: { meaning: 'the server answered 5xx to the last attempt' },
  JVX_ERR_HTTP_CONTENT_DECODING: { meaning: 'the body does not decode with its Content-Encoding; archived as received' },
  JVX_ERR_HTTP_UNSUPPORTED_ENCODING: { meaning: 'the Content-Encoding is not one jarvix decodes' },

  // Frontier.
  JVX_ERR_FRONTIER_OPEN: { meaning: 'the frontier state file cannot be opened' },
  JVX_ERR_FRONTIER_SCHEMA: { meaning: 'the frontier state was written by a jarvix with another schema version' },
  JVX_ERR_FRONTIER_CLOSED: { meaning: 'the frontier was used after close' },
  JVX_ERR_FRONTIER_BAD_ADD: { meaning: 'a URL added to the frontier is malformed (missing or bad fields)' },
  JVX_ERR_FRONTIER_BAD_ARGUMENT: { meaning: 'a frontier call got an argument outside its contract' },
  JVX_ERR_FRONTIER_UNKNOWN_ID: { meaning: 'a completion or release names a lease the frontier does not hold (expired or never issued)' },
  JVX_ERR_FRONTIER_CHECKPOINT_ORDER: { meaning: 'a checkpoint was committed out of sequence' },
  JVX_ERR_FRONTIER_REDIS_CONFIG: { meaning: 'the `--redis` URL or Redis options are invalid' },
  JVX_ERR_FRONTIER_REDIS_UNAVAILABLE: { meaning: 'Redis cannot be reached (after the patient retries)' },
  JVX_ERR_FRONTIER_REDIS_AUTH: { meaning: 'Redis refused the credentials' },
  JVX_ERR_FRONTIER_REDIS_TLS: { meaning: 'the TLS connection to Redis failed' },
  JVX_ERR_FRONTIER_REDIS_LOST: { meaning: 'the Redis connection was lost mid-command (the command may or may not have run)' },
  JVX_ERR_FRONTIER_REDIS_OOM: { meaning: 'Redis is out of memory (maxmemory reached)' },
  JVX_ERR_FRONTIER_REDIS_COMMAND: { meaning: 'Redis rejected a command' },

  // Archive.
  JVX_ERR_WARC_FORMAT: { meaning: 'a WARC file cannot be parsed even leniently' },
  JVX_ERR_WARC_READ: { meaning: 'a WARC file cannot be read (I/O error)' },
  JVX_ERR_WARC_WRITE: { meaning: 'a WARC record could not be written' },
  JVX_ERR_WARC_WRITER_CLOSED: { meaning: 'the WARC writer was used after close' },
  JVX_ERR_WARC_NOT_FOUND: { meaning: 'no record for that URL (and timestamp) in the run' },
  JVX_ERR_WARC_MISSING_HEADER: { meaning: 'verify: a record lacks a required WARC header' },
  JVX_ERR_WARC_BLOCK_DIGEST: { meaning: 'verify: WARC-Block-Digest does not match the block' },
  JVX_ERR_WARC_PAYLOAD_DIGEST: { meaning: 'verify: WARC-Payload-Digest does not match the payload' },
  JVX_ERR_WARC_UNKNOWN_DIGEST: { meaning: 'verify: a digest label jarvix cannot check (unknown algorithm or malformed)' },
  JVX_ERR_WARC_HTTP_HEAD: { meaning: 'verify: no end of HTTP head found to check the payload digest against' },
  // Lenient-reader anomalies, reported by verify as JVX_ERR_WARC_<ANOMALY> (src/warc/anomalies.ts).
  JVX_ERR_WARC_GZIP_GARBAGE: { meaning: 'verify: bytes between gzip members that are not gzip' },
  JVX_ERR_WARC_GZIP_TRUNCATED: { meaning: 'verify: the last gzip member is cut off' },
  JVX_ERR_WARC_GZIP_CORRUPT: { meaning: 'verify: a gzip member does not inflate' },
  JVX_ERR_WARC_GZIP_CRC: { meaning: "verify: a gzip member's CRC or size does not match" },
  JVX_ERR_WARC_GZIP_SHARED_MEMBER: { meaning: 'verify: several records share one gzip member' },
  JVX_ERR_WARC_GZIP_RECORD_SPANS_MEMBERS: { meaning: 'verify: one record spans several gzip members' },
  JVX_ERR_WARC_GARBAGE_SKIPPED: { meaning: 'verify: bytes that are not a record were skipped' },
  JVX_ERR_WARC_EXTRA_BLANK_LINES: { meaning: 'verify: more blank lines than CRLF CRLF after a record' },
  JVX_ERR_WARC_LF_LINE_ENDINGS: { meaning: 'verify: header lines end in LF, not CRLF' },
  JVX_ERR_WARC_BAD_HEADER_LINE: { meaning: 'verify: a header line is not `Name: value`' },
  JVX_ERR_WARC_HEADER_TOO_LONG: { meaning: 'verify: a record head is longer than the reader accepts' },
  JVX_ERR_WARC_TRUNCATED_HEADER: { meaning: 'verify: the file ends inside a record head' },
  JVX_ERR_WARC_MISSING_CONTENT_LENGTH: { meaning: 'verify: a record has no Content-Length' },
  JVX_ERR_WARC_CONTENT_LENGTH_TOO_LONG: { meaning: 'verify: Content-Length runs past the record' },
  JVX_ERR_WARC_CONTENT_LENGTH_TOO_SHORT: { meaning: 'verify: Content-Length stops before the record ends' },
  JVX_ERR_WARC_TRUNCATED_BLOCK: { meaning: 'verify: the file ends inside a record block' },
  JVX_ERR_WARC_MISSING_CRLF: { meaning: 'verify: a record is not followed by CRLF CRLF' },
  JVX_ERR_WARC_URI_ANGLE_BRACKETS: { meaning: 'verify: WARC-Target-URI is wrapped in <>' },
  JVX_ERR_WARC_URI_SPACES: { meaning: 'verify: WARC-Target-URI contains spaces' },
  JVX_ERR_WARC_ODD_DATE: { meaning: 'verify: WARC-Date is not the W3C-DTF form' },
  JVX_ERR_WARC_UNKNOWN_VERSION: { meaning: 'verify: a WARC version other than 1.0 or 1.1' },

  // Dataset.
  JVX_ERR_DATASET_ROW_INVALID: { meaning: 'a row does not match its table (type or required column)' },
  JVX_ERR_DATASET_COLUMN_UNKNOWN: { meaning: 'a row has a column its table does not have' },
  JVX_ERR_DATASET_TABLE_UNKNOWN: { meaning: 'a table name other than pages, links, chunks, errors' },
  JVX_ERR_DATASET_CLOSED: { meaning: 'the dataset writer was used after close' },
  JVX_ERR_DATASET_SHARD_MISSING: { meaning: 'a shard the run state committed is not on disk' },
  JVX_ERR_DATASET_SHARD_NAME: { meaning: 'a file in a table folder is not named like a shard' },
  JVX_ERR_DATASET_CORRUPT: { meaning: 'a Parquet shard does not read back as written (page size or row count differs)' },

  // Extraction stages.
  JVX_ERR_STAGE_FAILED: { meaning: 'extraction, chunking or scoring threw on a page; the page is dead-lettered' },
  JVX_ERR_STAGE_TIMEOUT: { meaning: 'a page took longer than the stage timeout; its worker was replaced and the page dead-lettered' },
  JVX_ERR_STAGE_WORKER_CRASHED: { meaning: 'a stage worker died on a page; the page is dead-lettered' },
  JVX_ERR_STAGE_POOL_CLOSED: { meaning: 'the stage pool was used after close' },
  JVX_ERR_POOL_ALREADY_STARTED: { meaning: 'the autoscaled pool was run twice' },

  // Run, curate, score, report, query, status.
  JVX_ERR_RUN_MANIFEST_INVALID: { meaning: "the run's run.json cannot be read or parsed" },
  JVX_ERR_STATUS_RUN_NOT_FOUND: { meaning: '`jarvix status`: no such run' },
  JVX_ERR_CURATE_RUN_NOT_FOUND: { meaning: '`jarvix curate`/`score`: no such run' },
  JVX_ERR_CURATE_RUN_UNSETTLED: { meaning: 'curate/score: the run has an interrupted collect checkpoint; resume it with `jarvix collect` first' },
  JVX_ERR_CURATE_RECORD_UNREADABLE: { meaning: 'curate: a WARC record a pages row points at cannot be read' },
  JVX_ERR_CURATE_REVISIT_UNRESOLVED: { meaning: 'curate: a revisit record whose original is not in the run' },
  JVX_ERR_CURATE_SWAP_FAILED: { meaning: 'curate/score: the new generation could not be swapped in; the old one stays' },
  JVX_ERR_SCORE_PROFILE_INVALID: { meaning: 'a scoring profile file does not parse or validate' },
  JVX_ERR_REPORT_RUN_NOT_FOUND: { meaning: '`jarvix report`: no such run' },
  JVX_ERR_REPORT_BROWSER_MISSING: { meaning: '`--pdf`: no Chromium found' },
  JVX_ERR_REPORT_BROWSER_FAILED: { meaning: '`--pdf`: Chromium failed to start or crashed' },
  JVX_ERR_REPORT_PDF_FAILED: { meaning: '`--pdf`: printing one report failed' },
  JVX_ERR_REPORT_PRINTER_CLOSED: { meaning: 'the PDF printer was used after close' },
  JVX_ERR_QUERY_RUN_NOT_FOUND: { meaning: '`jarvix query`: no such run' },
  JVX_ERR_QUERY_SQL: { meaning: '`jarvix query`: DuckDB rejected the SQL; the message is DuckDB\'s' },
  JVX_ERR_QUERY_SHARDS_UNREADABLE: { meaning: "`jarvix query`: the run's Parquet shards cannot be read" },
  JVX_ERR_QUERY_CLOSED: { meaning: 'the run database was used after close' },
  JVX_ERR_QUERY_OUTPUT_CLOSED: { meaning: '`jarvix query`: the output stream closed early (e.g. piped into head)' },

  // Reading the archive back: jarvix serve, replay (docs/serve.md).
  JVX_ERR_REPLAY_BAD_TIMESTAMP: { meaning: '`serve`: a timestamp that is not 1–14 digits of a real date (HTTP 400)' },
  JVX_ERR_REPLAY_BAD_URL: { meaning: '`serve`: a URL that is not http(s) (HTTP 400)' },
  JVX_ERR_REPLAY_BAD_PARAM: { meaning: '`serve`: a query parameter or replay modifier out of its set or range (HTTP 400)' },
  JVX_ERR_REPLAY_NOT_CAPTURED: { meaning: '`serve`: the URL was never captured in the sources served (HTTP 404)' },
  JVX_ERR_REPLAY_RECORD_UNREADABLE: { meaning: '`serve`: the record behind a capture is truncated, damaged, missing or over the size limit (HTTP 502)' },
  JVX_ERR_REPLAY_REVISIT_UNRESOLVED: { meaning: '`serve`: a revisit record whose payload no served archive holds (HTTP 502)' },
  JVX_ERR_REPLAY_SOURCE: { meaning: '`serve`: a `--run`, `--warc` or `--wacz` source that does not exist or cannot be read; exit code 2' },
  JVX_ERR_SERVE_NOT_FOUND: { meaning: '`serve`: no such route, or no such WACZ (HTTP 404)' },
  JVX_ERR_SERVE_PATH_TRAVERSAL: { meaning: '`serve`: a path trying to leave the served files (HTTP 400)' },
  JVX_ERR_SERVE_RANGE: { meaning: '`serve`: a Range past the end of the file (HTTP 416)' },
  JVX_ERR_SERVE_METHOD: { meaning: '`serve`: a method the route does not answer (HTTP 405)' },
  JVX_ERR_SERVE_NOT_LOOPBACK: { meaning: '`serve`: a non-loopback `--host` without `--allow-remote`; exit code 2' },
  JVX_ERR_UI_BAD_PARAM: { meaning: '`serve` web UI: a view parameter (status, action, URL, limit, offset) is invalid; the message names it (HTTP 400)' },
  JVX_ERR_UI_RUN_NOT_SERVED: { meaning: '`serve` web UI: `/runs/<id>` or `?run=` names a run this server was not started with (HTTP 404)' },
  JVX_ERR_SERVE_INTERNAL: { meaning: '`serve`: an unexpected failure while answering (HTTP 500); the message says more' },

  // WACZ packages (docs/wacz.md).
  JVX_ERR_WACZ_ZIP: { meaning: 'not a ZIP, a damaged central directory or local header, or an entry size mismatch' },
  JVX_ERR_WACZ_SIZE_CHANGED: { meaning: '`export --wacz`: a source file changed size while being packed' },
  JVX_ERR_WACZ_EMPTY_RUN: { meaning: '`export --wacz`: the run has no WARC to export' },
  JVX_ERR_WACZ_CRC: { meaning: "a WACZ entry's CRC-32 does not match its bytes" },
  JVX_ERR_WACZ_COMPRESSED: { meaning: 'a WARC or `.cdx.gz` inside the WACZ is deflated, so it cannot be range-read' },
  JVX_ERR_WACZ_MISSING_RESOURCE: { meaning: '`datapackage.json`, the digest file, or a listed resource is missing' },
  JVX_ERR_WACZ_DATAPACKAGE: { meaning: '`datapackage.json` is malformed' },
  JVX_ERR_WACZ_SIZE: { meaning: "a resource's size differs from `datapackage.json`" },
  JVX_ERR_WACZ_HASH: { meaning: "a resource's sha256 differs from `datapackage.json`" },
  JVX_ERR_WACZ_UNLISTED: { meaning: 'a ZIP entry is not listed in `datapackage.json`' },
  JVX_ERR_WACZ_DIGEST: { meaning: '`datapackage-digest.json` does not hash `datapackage.json`' },
  JVX_ERR_WACZ_INDEX: { meaning: 'the WACZ has no index, or an index / idx line does not parse' },
  JVX_ERR_WACZ_INDEX_BLOCK: { meaning: 'a ZipNum block is out of bounds, not gzip, not whole lines, has the wrong key, or the blocks leave gaps' },
  JVX_ERR_WACZ_INDEX_RECORD: { meaning: 'an index line does not point at one whole record of its URL' },

  // The link graph (docs/graph.md).
  JVX_ERR_GRAPH_RUN_NOT_FOUND: { meaning: '`graph`: a `--run` folder does not exist; exit code 2' },
  JVX_ERR_GRAPH_NO_LINKS: { meaning: '`graph`: the runs have no links and no redirects; exit code 2' },
  JVX_ERR_GRAPH_NOT_BUILT: { meaning: 'a traversal or the rank weight needs a graph level that has not been built (`jarvix graph`); exit code 2' },
  JVX_ERR_GRAPH_UNKNOWN_NODE: { meaning: 'the URL or host is not in that graph; exit code 2' },
  JVX_ERR_GRAPH_FILE_CORRUPT: { meaning: '`graph.bin` is truncated, damaged or of another version' },
  JVX_ERR_GRAPH_TOO_LARGE: { meaning: 'more than 2^30 vertices or 2^32−1 edges' },
  JVX_ERR_GRAPH_BAD_REQUEST: { meaning: 'an HTTP graph request has a missing or malformed parameter (HTTP 400)' },

  // Command-line mistakes and safe queries.
  JVX_ERR_QUERY_EMPTY: { meaning: '`jarvix query`: the SQL has no statement (blank, `;` or comments only); exit code 2' },
  JVX_ERR_QUERY_UNSAFE: { meaning: '`query --safe` / serve: a statement type, file, extension or setting refused by safe mode' },
  JVX_ERR_USAGE_OUTPUT_REQUIRED: { meaning: '`query --format parquet` without `-o FILE`; exit code 2' },
  JVX_ERR_USAGE_NEEDS_FOLLOW: { meaning: '`--depth` or `--scope` given without `--follow`; exit code 2' },
  JVX_ERR_USAGE_SEEDS_FILE: { meaning: '`testweb --write-seeds` cannot write its file; exit code 2' },
  JVX_ERR_WARC_RUN_NOT_FOUND: { meaning: '`warc get|index --run ID`: no such run folder' },
  JVX_ERR_WARC_ARC_BAD_HEADER: { meaning: 'an ARC header line that cannot be read even leniently (anomaly `arc-bad-header`); the record is reported with its file and offset' },

  // The run folder: lock, fresh start, integrity check and repair (docs/check.md, docs/collect.md).
  JVX_ERR_RUN_BUSY: { meaning: 'the run folder (or this worker id) is held by another process; the message names its command, pid, host and start time' },
  JVX_ERR_COLLECT_STATE_MISSING: { meaning: 'the run has WARC, CDXJ or Parquet files but its state (state.sqlite, or this worker\'s checkpoints) is gone; nothing was changed; `--fresh` moves the old files aside and starts over' },
  JVX_ERR_COLLECT_CHECKPOINT_UNCOMMITTED: { meaning: 'collect stopped without committing its last checkpoint (e.g. Redis unreachable); the message names the last safe checkpoint and what resume does' },
  JVX_ERR_FRONTIER_REDIS_GAVE_UP: { meaning: 'internal: a stopping worker stopped waiting for an unreachable Redis (reported as JVX_ERR_COLLECT_CHECKPOINT_UNCOMMITTED)' },
  JVX_ERR_USAGE_FRESH_REDIS: { meaning: '`--fresh` cannot be combined with `--redis` (the shared state lives in Redis); exit code 2' },
  JVX_ERR_USAGE_REPAIR: { meaning: '`collect --repair` where it is not supported (with `--redis`); exit code 2' },
  JVX_ERR_CHECK_RUN_NOT_FOUND: { meaning: '`jarvix check`: no such run, or a run without state' },
  JVX_ERR_CHECK_SHARD_MISSING: { meaning: '`check`: a shard a checkpoint committed is not on disk' },
  JVX_ERR_CHECK_SHARD_UNREADABLE: { meaning: '`check`: a shard cannot be read, or holds fewer rows than its footer says' },
  JVX_ERR_CHECK_WARC_MISSING: { meaning: '`check`: a committed WARC file is gone' },
  JVX_ERR_CHECK_WARC_SHORT: { meaning: '`check`: a WARC is shorter than its committed length' },
  JVX_ERR_CHECK_RECORD_UNREADABLE: { meaning: '`check`: a `pages` row points at something that is not one whole record of the stated length' },
  JVX_ERR_CHECK_INDEX_MISMATCH: { meaning: '`check`: a CDXJ differs from its WARC, is missing, or has no WARC' },

  // Full-text search (docs/search.md).
  JVX_ERR_SEARCH_QUERY_INVALID: { meaning: '`search`: an unbalanced quote, a control character, a dangling or misplaced OR, a one-letter prefix or a bad `site:`; the message gives the position; exit code 2' },
  JVX_ERR_SEARCH_QUERY_EMPTY: { meaning: '`search`: nothing to search for (empty, only punctuation, only `*`, only exclusions); exit code 2' },
  JVX_ERR_SEARCH_QUERY_TOO_LONG: { meaning: '`search`: over 1,000 characters, or over 32 words, phrases and filters; exit code 2' },
  JVX_ERR_SEARCH_INDEX_MISSING: { meaning: '`search`: the run has no search index (`search/*.sqlite`): run `jarvix index --run ID`' },
  JVX_ERR_SEARCH_INDEX_INVALID: { meaning: '`search`: an index file of another schema version, or not an index' },
  JVX_ERR_SEARCH_RUN_MISSING: { meaning: '`index`: the run folder does not exist' },

  // Observability, benchmarks, the synthetic web.
  JVX_ERR_OBSERVE_METRICS_LISTEN: { meaning: 'the metrics endpoint cannot listen on its address' },
  JVX_ERR_OBSERVE_OTEL_CONFIG: { meaning: 'an OTEL_* environment variable is invalid' },
  JVX_ERR_BENCH_SERVER: { meaning: "a benchmark's synthetic-web process failed to start or died" },
  JVX_ERR_TESTWEB_LISTEN: { meaning: 'the synthetic web cannot listen on its port' },
  JVX_ERR_TESTWEB_UNKNOWN_URL: { meaning: 'a URL that is not part of this synthetic web' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

const info = (code: string): ErrorCodeInfo | undefined => (ERROR_CODES as Record<string, ErrorCodeInfo>)[code];

export const isErrorCode = (code: string): code is ErrorCode => info(code) !== undefined;

/** A URL never requested on purpose (policy gate, robots.txt): counted apart from failures. */
export const isRefusal = (code: string): boolean => info(code)?.refusal === true;

/** A failure that may mean the host or network is saturated: the pool backs off when these rise. */
export const isOverload = (code: string): boolean => info(code)?.overload === true;

export const REFUSAL_CODES: readonly ErrorCode[] = (Object.keys(ERROR_CODES) as ErrorCode[]).filter(isRefusal);
