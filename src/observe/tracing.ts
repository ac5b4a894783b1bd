import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { hash32 } from '../hash/index.js';
import { VERSION } from '../version.js';
import { OtelConfigError } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface TracingSetup {
  tracer: Tracer;
  /**
   * Whether the trace of a URL is kept. jarvix's traces all start here (no remote parents), so the
   * root decision of OTEL_TRACES_SAMPLER is taken before any SDK call, and from the URL alone: every
   * later event of a dropped URL (archive write, stage) reaches the same answer without the URL
   * being remembered, so a dropped page costs no SDK call and no memory.
   */
  sampleUrl(url: string): boolean;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * OTLP/HTTP endpoint for traces per the OTel spec: the signal-specific variable is used as is,
 * the generic one gets `/v1/traces` appended. Undefined means tracing stays off.
 */
export function otlpTracesUrl(env: Env): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  if (env.OTEL_TRACES_EXPORTER !== undefined && env.OTEL_TRACES_EXPORTER.trim().toLowerCase() === 'none') return undefined;
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (specific) return specific;
  const generic = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (generic) return `${generic.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/**
 * The share of URLs whose traces OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG keep, for the
 * sampler names the spec lists (default parentbased_always_on). jarvix's traces all start here, so
 * only the root decision matters: `*always_on` keeps all, `*always_off` none, `*traceidratio` the
 * ratio (applied per URL by ratioSampler, not per trace id). Anything else is refused.
 */
export function traceRatioFromEnv(env: Env): number {
  const name = (env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on').trim().toLowerCase();
  switch (name) {
    case 'always_on':
    case 'parentbased_always_on':
      return 1;
    case 'always_off':
    case 'parentbased_always_off':
      return 0;
    case 'traceidratio':
    case 'parentbased_traceidratio': {
      const raw = env.OTEL_TRACES_SAMPLER_ARG?.trim();
      if (raw === undefined || raw === '') return 1;
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0 || n > 1) throw new OtelConfigError('OTEL_TRACES_SAMPLER_ARG', 'a ratio from 0 to 1', raw);
      return n;
    }
    default:
      throw new OtelConfigError('OTEL_TRACES_SAMPLER', 'always_on, always_off, traceidratio or parentbased_{always_on,always_off,traceidratio}', name);
  }
}

/** Defaults of the batching span processor where jarvix differs from the SDK's (see batchConfigFromEnv). */
export const BATCH_DEFAULTS = { scheduledDelayMillis: 100, maxExportBatchSize: 512, maxQueueSize: 2048, exportTimeoutMillis: 30_000 } as const;

/**
 * The batching span processor's settings from the spec's OTEL_BSP_* variables (this SDK version
 * no longer reads them itself). jarvix exports every 100 ms by default, not every 5 s: a busy
 * crawl ends hundreds of spans a second, and spans kept for seconds outlive several young-
 * generation collections, get copied into the old generation and make every full collection
 * longer; exported sooner, most die young.
 */
export function batchConfigFromEnv(env: Env): { scheduledDelayMillis: number; maxExportBatchSize: number; maxQueueSize: number; exportTimeoutMillis: number } {
  const int = (name: string, fallback: number, min: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new OtelConfigError(name, `an integer of at least ${min}`, raw);
    return n;
  };
  const maxQueueSize = int('OTEL_BSP_MAX_QUEUE_SIZE', BATCH_DEFAULTS.maxQueueSize, 1);
  const maxExportBatchSize = int('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', Math.min(BATCH_DEFAULTS.maxExportBatchSize, maxQueueSize), 1);
  if (maxExportBatchSize > maxQueueSize) throw new OtelConfigError('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', `at most OTEL_BSP_MAX_QUEUE_SIZE (${maxQueueSize})`, String(maxExportBatchSize));
  return {
    scheduledDelayMillis: int('OTEL_BSP_SCHEDULE_DELAY', BATCH_DEFAULTS.scheduledDelayMillis, 0),
    maxExportBatchSize,
    maxQueueSize,
    exportTimeoutMillis: int('OTEL_BSP_EXPORT_TIMEOUT', BATCH_DEFAULTS.exportTimeoutMillis, 1),
  };
}

/**
 * A tracer provider of our own (not registered globally, so a library in the same process keeps
 * its own), or null when there is nowhere to send spans: then no span work is done at all.
 * `exporter` (tests) is exported span by span; OTLP goes through a batching processor.
 */
export function setupTracing(o: { serviceName: string; runId: string; worker: string; env: Env; exporter?: SpanExporter; sampler?: Sampler }): TracingSetup | null {
  const processors: SpanProcessor[] = [];
  if (o.exporter) processors.push(new SimpleSpanProcessor(o.exporter));
  const url = otlpTracesUrl(o.env);
  if (url) processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url }), batchConfigFromEnv(o.env)));
  if (processors.length === 0) return null;
  // An injected sampler (tests) decides everything itself; otherwise roots are decided by
  // sampleUrl() and the SDK keeps every span it is asked for, children following their parent.
  const ratio = o.sampler ? 1 : traceRatioFromEnv(o.env);
  const sampleUrl = ratioSampler(ratio);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: o.env.OTEL_SERVICE_NAME?.trim() || o.serviceName,
      [ATTR_SERVICE_VERSION]: VERSION,
      'jarvix.run_id': o.runId,
      'jarvix.worker': o.worker,
    }),
    sampler: o.sampler ?? new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: processors,
  });
  return { tracer: provider.getTracer('jarvix', VERSION), sampleUrl, shutdown: () => provider.shutdown() };
}

/**
 * Keeps `ratio` of URLs: the URL's hash32, salted per process, under
 * ratio × 2^32. The same URL gets the same answer for the life of the process (its retries and
 * late events too); another process draws other URLs.
 */
export function ratioSampler(ratio: number, salt = (Math.random() * 2 ** 32) >>> 0): (url: string) => boolean {
  if (ratio >= 1) return () => true;
  if (ratio <= 0) return () => false;
  const threshold = Math.floor(ratio * 2 ** 32);
  return (url) => hash32(url, salt) < threshold;
}
