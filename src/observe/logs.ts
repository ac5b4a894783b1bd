import { once } from 'node:events';
import pino, { type Logger } from 'pino';
import { InvalidOptionError } from '../errors/index.js';
import type { Handlers } from './channels.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(v: unknown): v is LogLevel {
  return typeof v === 'string' && (LOG_LEVELS as readonly string[]).includes(v);
}

export interface LogSetup {
  logger: Logger;
  close(): Promise<void>;
}

/**
 * JSON lines through pino to `file` (appended, folders created) or to stderr. The human progress
 * output is the CLI's business and never goes through here. Writes are asynchronous (sonic-boom
 * buffers), flushed on close.
 */
export async function setupLogs(o: { level: string; file: string | undefined; bindings: Record<string, string> }): Promise<LogSetup> {
  if (!isLogLevel(o.level)) throw new InvalidOptionError('observe.logLevel', LOG_LEVELS.join(', '), o.level);
  const dest = pino.destination({ dest: o.file ?? 2, sync: false, mkdir: o.file !== undefined, append: true });
  if (o.file !== undefined) await once(dest, 'ready');
  const logger = pino({ level: o.level, base: o.bindings, timestamp: pino.stdTimeFunctions.isoTime }, dest);
  return {
    logger,
    close: async () => {
      dest.flushSync();
      if (o.file === undefined) return; // stderr stays open for whoever writes next
      const closed = once(dest, 'close');
      dest.end();
      await closed;
    },
  };
}

/** Channel messages worth a log line; per-fetch lines only at debug, where they cost nothing otherwise. */
export function logHandlers(log: Logger): Handlers {
  const debug = log.isLevelEnabled('debug');
  const h: Handlers = {
    fetchRetry: (m) => log.info({ url: m.url, attempt: m.attempt, delayMs: m.delayMs, errorCode: m.errorCode }, 'fetch retry scheduled'),
    hostBackoff: (m) => {
      if (m.gaveUp) log.warn({ host: m.host, failures: m.failures }, 'host given up');
      else if (debug) log.debug({ host: m.host, failures: m.failures, backoffMs: m.backoffMs }, 'host backoff');
    },
    checkpoint: (m) => log.info({ seq: m.seq, urls: m.urls, shards: m.shards, durationMs: m.durationMs }, 'checkpoint committed'),
    deadLetter: (m) => log.warn({ url: m.url, stage: m.stage, errorCode: m.errorCode, reason: m.message }, 'dead letter'),
    poolScale: (m) => log.info({ from: m.from, to: m.to, reason: m.reason, running: m.running }, 'concurrency changed'),
    warcRotate: (m) => log.info({ file: m.file, bytes: m.bytes }, 'WARC file finished'),
    warcWriteEnd: (m) => {
      if (m.errorCode !== null) log.error({ url: m.url, errorCode: m.errorCode }, 'archive write failed');
    },
    redis: (m) => (m.event === 'down' ? log.warn({ endpoint: m.endpoint, error: m.error }, 'redis connection lost') : log.info({ endpoint: m.endpoint }, 'redis connection back')),
  };
  if (debug) {
    h.fetchEnd = (m) => log.debug({ url: m.url, finalUrl: m.finalUrl, status: m.status, errorCode: m.errorCode, durationMs: m.durationMs, hops: m.hops }, 'fetch');
    h.robotsDecision = (m) => log.debug({ url: m.url, allowed: m.allowed, source: m.source }, 'robots decision');
    h.datasetStage = (m) => log.debug({ seq: m.seq, rows: m.rows, bytes: m.bytes, durationMs: m.durationMs }, 'dataset shards staged');
  }
  return h;
}
