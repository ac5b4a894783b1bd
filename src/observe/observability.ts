import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Sampler, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { InvalidOptionError } from '../errors/index.js';
import { is, resolveOptions, type Check, type Checks } from '../options/index.js';
import type { Handlers } from './channels.js';
import { isLogLevel, LOG_LEVELS, logHandlers, setupLogs, type LogSetup } from './logs.js';
import { serveMetrics, type MetricsServer } from './metrics-server.js';
import { metricsHandlers } from './metrics-sink.js';
import { createMetrics } from './metrics.js';
import { spanHandlers } from './span-builder.js';
import { subscribeAll } from './subscribe.js';
import { setupTracing, type Env } from './tracing.js';

export interface ObservabilityOptions {
  /** `service.name` of the spans (OTEL_SERVICE_NAME wins) and the `service` field of log lines. */
  serviceName: string;
  runId: string;
  worker: string;
  /** Serve `/metrics` on this port (0: any free port); undefined: no server, metrics still counted. */
  metricsPort: number | undefined;
  /** Interface for the metrics server; 0.0.0.0 lets a Prometheus on another machine scrape it. */
  metricsHost: string;
  /** pino level. Undefined: `info` when logFile is given, otherwise no log lines at all (stderr carries the progress output). */
  logLevel: string | undefined;
  /** Append JSON log lines here (folders created); undefined: stderr, if logLevel is given. */
  logFile: string | undefined;
  /** How many of the busiest hosts get a `host` label. */
  topHosts: number;
  /** Where OTEL_* variables are read from. */
  env: Env;
  /** Also export every finished span here (tests, embedding); tracing is on when this or an OTLP endpoint is set. */
  spanExporter: SpanExporter | undefined;
  /** Overrides OTEL_TRACES_SAMPLER. */
  sampler: Sampler | undefined;
  /** Process metrics from prom-client: event-loop lag, heap, RSS, GC, handles. */
  processMetrics: boolean;
}

export type ObservabilityInit = Pick<ObservabilityOptions, 'serviceName' | 'runId' | 'worker'> & Partial<ObservabilityOptions>;

export interface Observability {
  /** `http://host:port/metrics` when a port was given. */
  readonly metricsUrl: string | undefined;
  /** Whether spans are being made (an exporter or OTLP endpoint is configured). */
  readonly tracing: boolean;
  /** The structured logger, for the few lines that have no channel (start, finish); null when logging is off. */
  readonly logger: LogSetup['logger'] | null;
  /** The current metrics in the Prometheus text format (what `/metrics` serves). */
  metricsText(): Promise<string>;
  /**
   * Drops (false) or takes again (true) what the core publishes, everything else left running. For
   * measuring observability's cost within one run (bench/observe-collect.ts); the core still
   * publishes while dropped (a message object and a call per event), and work in flight at a switch
   * is seen half (a fetch's end without its start), so counts taken across switches are approximate.
   */
  setListening(on: boolean): void;
  /** Unsubscribes, ends open spans, flushes exporters and logs, stops the server. Safe to call twice. */
  close(): Promise<void>;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;
const checks: Checks<ObservabilityOptions> = {
  serviceName: [is.nonEmptyString, 'a non-empty string'],
  runId: [is.nonEmptyString, 'a run name'],
  worker: [is.nonEmptyString, 'a worker name'],
  metricsPort: [is.optional(is.int(0, 65_535)), 'a port from 0 to 65535'],
  metricsHost: [is.nonEmptyString, 'an interface address such as 127.0.0.1 or 0.0.0.0'],
  logLevel: [is.optional(isLogLevel), LOG_LEVELS.join(', ')],
  logFile: [is.optional(is.nonEmptyString), 'a file path'],
  topHosts: [is.int(0, 1000), 'an integer from 0 to 1000'],
  env: [isObject as Check<Env>, 'an object of environment variables'],
  spanExporter: [is.optional(isObject as Check<SpanExporter>), 'an OpenTelemetry SpanExporter'],
  sampler: [is.optional(isObject as Check<Sampler>), 'an OpenTelemetry Sampler'],
  processMetrics: [is.boolean, 'true or false'],
};

/**
 * Subscribes observe/ to the core channels: Prometheus metrics (served on `/metrics` when a port
 * is given), OpenTelemetry spans (when an exporter or `OTEL_EXPORTER_OTLP_*` is set) and pino
 * log lines. Core code only publishes; nothing here is needed for a crawl to run.
 */
export async function startObservability(init: ObservabilityInit): Promise<Observability> {
  const o = resolveOptions<ObservabilityOptions>(
    'observe',
    { serviceName: '', runId: '', worker: '', metricsPort: undefined, metricsHost: '127.0.0.1', logLevel: undefined, logFile: undefined, topHosts: 10, env: process.env, spanExporter: undefined, sampler: undefined, processMetrics: true },
    checks,
    init,
  );
  // Required ones: the defaults above are placeholders that fail their own check.
  for (const k of ['serviceName', 'runId', 'worker'] as const) if (!checks[k][0](o[k])) throw new InvalidOptionError(`observe.${k}`, checks[k][1], o[k]);

  const registry = new Registry();
  registry.setDefaultLabels({ run: o.runId, worker: o.worker });
  if (o.processMetrics) collectDefaultMetrics({ register: registry });
  const families = createMetrics([registry]);
  const metrics = metricsHandlers(families, { topHosts: o.topHosts });

  const tracing = setupTracing({ serviceName: o.serviceName, runId: o.runId, worker: o.worker, env: o.env, exporter: o.spanExporter, sampler: o.sampler });
  const spans = tracing ? spanHandlers(tracing.tracer, { maxPages: 10_000, maxOpen: 10_000 }, tracing.sampleUrl) : null;

  const level = o.logLevel ?? (o.logFile !== undefined ? 'info' : undefined);
  const logs = level === undefined || level === 'silent' ? null : await setupLogs({ level, file: o.logFile, bindings: { service: o.serviceName, run: o.runId, worker: o.worker } });

  const sinks: Handlers[] = [metrics.handlers];
  if (spans) sinks.push(spans.handlers);
  let reported = false;
  const onError = (err: unknown, channel: string): void => {
    families.observeErrors.inc();
    if (!reported) logs?.logger.error({ channel, err }, 'observe handler failed (reported once)');
    reported = true;
  };
  // Metrics and spans take messages in batches (subscribe.ts); logs are written as they come.
  const onBatch = (ms: number, messages: number): void => {
    families.observeSeconds.inc(ms / 1000);
    families.observeMessages.inc(messages);
  };
  const subscriptions = [subscribeAll(sinks, onError, { batched: true, onBatch })];
  if (logs) subscriptions.push(subscribeAll([logHandlers(logs.logger)], onError, { batched: false }));
  const flush = (): void => {
    for (const s of subscriptions) s.flush();
  };
  const unsubscribe = (): void => {
    for (const s of subscriptions) s.unsubscribe();
  };
  const refresh = (): void => {
    flush();
    metrics.refresh();
  };

  let server: MetricsServer | undefined;
  try {
    if (o.metricsPort !== undefined) server = await serveMetrics(registry, o.metricsHost, o.metricsPort, refresh);
  } catch (err) {
    unsubscribe();
    await tracing?.shutdown();
    await logs?.close();
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    metricsUrl: server?.url,
    tracing: tracing !== null,
    logger: logs?.logger ?? null,
    setListening: (on: boolean) => {
      for (const s of subscriptions) s.pause(!on);
    },
    metricsText: () => {
      refresh();
      return registry.metrics();
    },
    close: () =>
      (closing ??= (async () => {
        unsubscribe();
        spans?.close();
        await server?.close();
        // An unreachable collector loses spans, it must not fail the run that is ending.
        await tracing?.shutdown().catch((err: unknown) => logs?.logger.warn({ err }, 'trace export failed at shutdown'));
        await logs?.close();
        registry.clear();
      })()),
  };
}
