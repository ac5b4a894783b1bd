import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const BYTES = [1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864];

/**
 * The metric families, named per Prometheus conventions (base units, `_total` counters). Labels
 * are all from small closed sets (status class, error code, stage, constraint, frontier state);
 * the only host label is on `jarvix_top_host_fetches`, limited to the top N.
 */
export function createMetrics(registers: Registry[]) {
  const r = { registers };
  return {
    fetches: new Counter({ ...r, name: 'jarvix_fetches_total', help: 'Fetches finished (redirects followed), by final status class and error code', labelNames: ['status_class', 'error_code'] as const }),
    requests: new Counter({ ...r, name: 'jarvix_http_requests_total', help: 'HTTP exchanges answered (one per hop), by status class', labelNames: ['status_class'] as const }),
    fetchesInFlight: new Gauge({ ...r, name: 'jarvix_fetches_in_flight', help: 'Fetches started and not finished' }),
    fetchDuration: new Histogram({ ...r, name: 'jarvix_fetch_duration_seconds', help: 'Duration of a whole fetch, redirects included', buckets: SECONDS }),
    responseBytes: new Histogram({ ...r, name: 'jarvix_http_response_body_bytes', help: 'Body bytes received per exchange (as on the wire, before decoding)', buckets: BYTES }),
    retries: new Counter({ ...r, name: 'jarvix_fetch_retries_total', help: 'Retries scheduled, by the error that caused them', labelNames: ['error_code'] as const }),
    hostBackoffs: new Counter({ ...r, name: 'jarvix_host_backoffs_total', help: 'Host failures that set a backoff' }),
    hostsGivenUp: new Counter({ ...r, name: 'jarvix_hosts_given_up_total', help: 'Hosts given up after repeated failures' }),
    topHostFetches: new Gauge({ ...r, name: 'jarvix_top_host_fetches', help: 'Fetches of the busiest hosts (bounded top N, approximate counts)', labelNames: ['host'] as const }),
    robots: new Counter({ ...r, name: 'jarvix_robots_decisions_total', help: 'robots.txt checks, by outcome and what decided it', labelNames: ['outcome', 'source'] as const }),
    politenessWaiting: new Gauge({ ...r, name: 'jarvix_politeness_waiting', help: 'Fetches waiting out a host delay now' }),
    politenessWait: new Histogram({ ...r, name: 'jarvix_politeness_wait_seconds', help: 'Time spent waiting for a host delay', buckets: SECONDS }),
    frontier: new Gauge({ ...r, name: 'jarvix_frontier_urls', help: 'URLs in the frontier, by state', labelNames: ['state'] as const }),
    poolDesired: new Gauge({ ...r, name: 'jarvix_pool_desired_concurrency', help: 'Fetch concurrency the autoscaler allows' }),
    poolRunning: new Gauge({ ...r, name: 'jarvix_pool_running_tasks', help: 'Page tasks running' }),
    poolConstraint: new Gauge({ ...r, name: 'jarvix_pool_constraint', help: '1 for what binds the concurrency now (state set)', labelNames: ['constraint'] as const }),
    poolScale: new Counter({ ...r, name: 'jarvix_pool_scale_changes_total', help: 'Changes of desired concurrency, by reason', labelNames: ['direction', 'reason'] as const }),
    warcRecords: new Counter({ ...r, name: 'jarvix_warc_exchanges_written_total', help: 'Exchanges archived (request, response or revisit, metadata)', labelNames: ['type'] as const }),
    warcBytes: new Counter({ ...r, name: 'jarvix_warc_bytes_written_total', help: 'Compressed WARC bytes appended' }),
    warcWrite: new Histogram({ ...r, name: 'jarvix_warc_write_seconds', help: 'Time to archive one exchange', buckets: SECONDS }),
    warcErrors: new Counter({ ...r, name: 'jarvix_warc_write_errors_total', help: 'Exchanges that could not be archived', labelNames: ['error_code'] as const }),
    warcFiles: new Counter({ ...r, name: 'jarvix_warc_files_finished_total', help: 'WARC files finished (rotated or closed)' }),
    parquetBytes: new Counter({ ...r, name: 'jarvix_parquet_bytes_written_total', help: 'Parquet shard bytes staged' }),
    parquetRows: new Counter({ ...r, name: 'jarvix_parquet_rows_written_total', help: 'Rows staged into Parquet shards' }),
    checkpoints: new Counter({ ...r, name: 'jarvix_checkpoints_total', help: 'Checkpoints committed' }),
    checkpointUrls: new Counter({ ...r, name: 'jarvix_checkpoint_urls_total', help: 'URLs committed by checkpoints' }),
    checkpointDuration: new Histogram({ ...r, name: 'jarvix_checkpoint_duration_seconds', help: 'Duration of a checkpoint commit', buckets: SECONDS }),
    stageQueued: new Gauge({ ...r, name: 'jarvix_stage_queue_depth', help: 'Pages waiting for a stage worker', labelNames: ['stage'] as const }),
    stageInFlight: new Gauge({ ...r, name: 'jarvix_stage_in_flight', help: 'Pages accepted by the stages and not finished', labelNames: ['stage'] as const }),
    stageDuration: new Histogram({ ...r, name: 'jarvix_stage_duration_seconds', help: 'Time a page spends in the stages, queue included', labelNames: ['stage'] as const, buckets: SECONDS }),
    deadLetters: new Counter({ ...r, name: 'jarvix_dead_letters_total', help: 'Pages dead-lettered, by stage and error code', labelNames: ['stage', 'error_code'] as const }),
    redisEvents: new Counter({ ...r, name: 'jarvix_redis_connection_events_total', help: 'Redis connection lost (down) or regained (up)', labelNames: ['event'] as const }),
    observeSeconds: new Counter({ ...r, name: 'jarvix_observe_handler_seconds_total', help: "Time observe/ spent turning channel messages into metrics and spans (its own cost; exporting and scrapes not included)" }),
    observeMessages: new Counter({ ...r, name: 'jarvix_observe_messages_total', help: 'Channel messages handed to the metrics and span sinks' }),
    observeErrors: new Counter({ ...r, name: 'jarvix_observe_handler_errors_total', help: 'Channel messages observe/ failed to handle (a bug, never fatal)' }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** '2xx' … '5xx', or 'none' when no answer came. */
export function statusClass(status: number | null): string {
  if (status === null || status < 100 || status > 599) return 'none';
  return `${Math.floor(status / 100)}xx`;
}
