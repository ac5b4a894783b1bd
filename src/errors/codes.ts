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
  JVX_ERR_CURATE_RUN_BUSY: { meaning: 'curate/score: a collect or another curate holds the run' },
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
