import { readManifest, runPaths, type RunManifest } from '../../run/index.js';
import type { RunDatabase } from '../../query/index.js';
import { deriveAlerts } from './alerts.js';
import { hostDelays } from './host-delays.js';
import { actionCounts, deadLetterClasses, deadLetterCount, errorClasses, hostRows, pageTotals, scoreStats, statusCounts, throughput, topPages, type PageTotals } from './queries.js';
import type { HostRow, ReportData, RunSummary } from './types.js';
import { ratio } from '../html/format.js';

export interface CollectOptions {
  /** Rows of the top-pages and per-host tables. */
  readonly topN: number;
  readonly now?: Date;
}

/** Wall time of the collect sessions; an unfinished session counts up to the manifest's last update. */
function sessionsMs(manifest: RunManifest | null): number | null {
  if (!manifest || manifest.sessions.length === 0) return null;
  let total = 0;
  for (const s of manifest.sessions) {
    const start = Date.parse(s.startedAt);
    const end = Date.parse(s.finishedAt ?? manifest.updatedAt);
    if (Number.isFinite(start) && Number.isFinite(end) && end > start) total += end - start;
  }
  return total > 0 ? total : null;
}

export function summarize(t: PageTotals, deadLetters: number, manifest: RunManifest | null): RunSummary {
  const span = t.firstFetch && t.lastFetch ? t.lastFetch.getTime() - t.firstFetch.getTime() : 0;
  const durationMs = sessionsMs(manifest) ?? (span > 0 ? span : null);
  const bytes = manifest?.counts?.bytes;
  return {
    attempted: t.attempted,
    fetched: t.fetched,
    failed: t.failed,
    refused: t.refused,
    robotsBlocked: t.robotsBlocked,
    successRate: ratio(t.fetched, t.fetched + t.failed),
    durationMs,
    pagesPerSecond: durationMs === null ? null : ratio(t.attempted, durationMs / 1000),
    latencyMs: t.latency,
    payloadBytes: t.payloadBytes,
    transferredBytes: typeof bytes === 'number' && Number.isFinite(bytes) ? bytes : null,
    firstFetch: t.firstFetch,
    lastFetch: t.lastFetch,
    deadLetters,
  };
}

function configuredDelay(manifest: RunManifest | null): number | null {
  const v = manifest?.config?.hostDelayMs;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Aggregates one run for its report: a fixed number of SQL statements, bounded output. */
export async function collectReportData(db: RunDatabase, dataDir: string, run: string, options: CollectOptions): Promise<ReportData> {
  const paths = runPaths(dataDir, run);
  const manifest = (await readManifest(paths.manifest)) ?? null;
  const totals = await pageTotals(db);
  const dead = await deadLetterCount(db);
  const summary = summarize(totals, dead, manifest);
  const [byPages, byErrors] = [await hostRows(db, 'pages', options.topN), await hostRows(db, 'errors', Math.min(options.topN, 15))];
  const delays = hostDelays(paths.state, [...new Set([...byPages, ...byErrors].map((h) => h.host))], configuredDelay(manifest));
  const withDelay = (h: Omit<HostRow, 'delayMs'>): HostRow => ({ ...h, delayMs: delays.get(h.host) ?? null });
  const hostsByPages = byPages.map(withDelay);
  const hostsByErrors = byErrors.map(withDelay);
  const deadLetters = await deadLetterClasses(db);
  const flags = { soft404: totals.soft404, paywall: totals.paywall, truncated: totals.truncated, unscoredFetched: totals.unscoredFetched };
  return {
    run,
    generatedAt: options.now ?? new Date(),
    manifest,
    summary,
    scores: await scoreStats(db),
    actions: await actionCounts(db),
    statuses: await statusCounts(db),
    throughput: await throughput(db, totals.firstFetch, totals.lastFetch),
    hostCount: totals.hostCount,
    hostsByPages,
    hostsByErrors,
    topPages: await topPages(db, options.topN),
    errorClasses: await errorClasses(db),
    deadLetters,
    flags,
    alerts: deriveAlerts({ manifest, summary, hostsByErrors, deadLetters, flags }),
    topN: options.topN,
  };
}
