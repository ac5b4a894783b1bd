import { scanTable } from '../dataset/index.js';
import { isRefusal } from '../errors/index.js';
import type { RunPaths } from '../run/index.js';
import type { Counters } from './counters.js';

export interface CollectSummary {
  run: string;
  /** Committed rows in the dataset (all sessions), by outcome. */
  counts: { pages: number; fetched: number; failed: number; refused: number; robots_blocked: number; errors: number };
  /** This session. */
  session: { durationMs: number; requests: number; retries: number; bytes: number; pagesPerSecond: number; latencyMs: { p50: number | null; p95: number | null; p99: number | null } };
  interrupted: boolean;
  /** This session's --input: its lines, the crawlable URLs among them, the lines refused. Absent without --input. */
  input?: { source: string; lines: number; urls: number; invalid: number };
}

/**
 * Final figures come from the committed dataset, not from in-memory counters: they are what a
 * user can query. Read column by column, one row group at a time, so memory stays flat.
 */
export async function summarizeRun(paths: RunPaths, counters: Counters, started: number): Promise<CollectSummary> {
  const counts: CollectSummary['counts'] = { pages: 0, fetched: 0, failed: 0, refused: 0, robots_blocked: 0, errors: 0 };
  for await (const batch of scanTable(paths.root, 'pages', { columns: ['error_code'] })) {
    for (const row of batch) {
      counts.pages++;
      const code = row.error_code as string | null;
      if (code === null || code === undefined) counts.fetched++;
      else if (isRefusal(code)) {
        counts.refused++;
        if (code === 'JVX_ERR_ROBOTS_DISALLOWED') counts.robots_blocked++;
      } else counts.failed++;
    }
  }
  for await (const batch of scanTable(paths.root, 'errors', { columns: ['url'] })) counts.errors += batch.length;
  const durationMs = Date.now() - started;
  const finished = counters.sessionFinished;
  return {
    run: paths.id,
    counts,
    session: {
      durationMs,
      requests: counters.requests,
      retries: counters.retries,
      bytes: counters.bytes,
      pagesPerSecond: finished / Math.max(0.001, durationMs / 1000),
      latencyMs: { p50: counters.percentile(50), p95: counters.percentile(95), p99: counters.percentile(99) },
    },
    interrupted: false,
  };
}
