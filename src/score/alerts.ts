import { is, resolveOptions, type Checks } from '../options/index.js';
import type { RunDatabase } from '../query/index.js';

export type AlertKind = 'low_quality_share' | 'soft_404_spike' | 'host_error_spike';
export type AlertSeverity = 'warning' | 'critical';

/** One row a report lists: what crossed which threshold, where (host, or null for the whole run). */
export interface Alert {
  kind: AlertKind;
  severity: AlertSeverity;
  host: string | null;
  message: string;
  /** The measured share, 0..1. */
  value: number;
  /** The share it crossed, 0..1. */
  threshold: number;
}

export interface HostAggregate {
  host: string;
  /** pages rows of the host. */
  pages: number;
  /** Rows with a quality (extracted and scored). */
  scored: number;
  /** Scored rows flagged soft-404. */
  soft404: number;
  /** Rows that failed for good (error_code set, refusals by robots or policy not counted). */
  failed: number;
}

/** What alerts are computed from: run totals and per-host counts (queryAlertAggregates gets them with SQL). */
export interface RunAggregates {
  pages: number;
  scored: number;
  /** Scored rows with quality below `lowQualityBelow`. */
  lowQuality: number;
  hosts: HostAggregate[];
}

export interface AlertThresholds {
  /** A page counts as low quality below this quality (0..1). */
  lowQualityBelow: number;
  /** Run alert when this share of scored pages is low quality. */
  lowQualityShare: number;
  /** Host alert when this share of its scored pages is soft-404... */
  soft404Share: number;
  /** ...and at least this many times the share on the other hosts (a spike, not the run's norm). */
  soft404SpikeRatio: number;
  /** Host alert when this share of its pages failed. */
  hostErrorShare: number;
  /** Hosts with fewer pages (scored pages, for soft-404) than this raise no alert: too little evidence. */
  minHostPages: number;
}

export const DEFAULT_ALERT_THRESHOLDS: Readonly<AlertThresholds> = Object.freeze({
  lowQualityBelow: 0.4,
  lowQualityShare: 0.5,
  soft404Share: 0.2,
  soft404SpikeRatio: 2,
  hostErrorShare: 0.25,
  minHostPages: 10,
});

const share = [is.number(0, 1), 'a number from 0 to 1'] as const;
const checks: Checks<AlertThresholds> = {
  lowQualityBelow: [...share],
  lowQualityShare: [...share],
  soft404Share: [...share],
  soft404SpikeRatio: [is.number(0, 1e6), 'a number >= 0'],
  hostErrorShare: [...share],
  minHostPages: [is.int(1), 'an integer >= 1'],
};

export function resolveAlertThresholds(given?: Partial<AlertThresholds>): AlertThresholds {
  return resolveOptions('alerts', { ...DEFAULT_ALERT_THRESHOLDS }, checks, given);
}

/** Critical once the value is halfway from the threshold to 100%. */
const severity = (value: number, threshold: number): AlertSeverity => (value >= threshold + (1 - threshold) / 2 ? 'critical' : 'warning');
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/**
 * Alert rows from aggregates: pure, so a report can compute them from any source. Critical first,
 * then by kind, then by value (largest first), then host.
 */
export function computeAlerts(agg: RunAggregates, thresholds?: Partial<AlertThresholds>): Alert[] {
  const t = resolveAlertThresholds(thresholds);
  const out: Alert[] = [];
  if (agg.scored > 0) {
    const value = agg.lowQuality / agg.scored;
    if (value >= t.lowQualityShare) {
      out.push({
        kind: 'low_quality_share',
        severity: severity(value, t.lowQualityShare),
        host: null,
        message: `${agg.lowQuality} of ${agg.scored} scored pages (${pct(value)}) have quality below ${t.lowQualityBelow}`,
        value,
        threshold: t.lowQualityShare,
      });
    }
  }
  const totalScored = agg.hosts.reduce((n, h) => n + h.scored, 0);
  const totalSoft404 = agg.hosts.reduce((n, h) => n + h.soft404, 0);
  for (const h of agg.hosts) {
    if (h.scored >= t.minHostPages) {
      const value = h.soft404 / h.scored;
      const otherScored = totalScored - h.scored;
      const baseline = otherScored > 0 ? (totalSoft404 - h.soft404) / otherScored : 0;
      if (value >= t.soft404Share && value >= t.soft404SpikeRatio * baseline) {
        out.push({
          kind: 'soft_404_spike',
          severity: severity(value, t.soft404Share),
          host: h.host,
          message: `${h.host}: ${h.soft404} of ${h.scored} pages (${pct(value)}) look like soft-404s, against ${pct(baseline)} on other hosts`,
          value,
          threshold: t.soft404Share,
        });
      }
    }
    if (h.pages >= t.minHostPages) {
      const value = h.failed / h.pages;
      if (value >= t.hostErrorShare) {
        out.push({
          kind: 'host_error_spike',
          severity: severity(value, t.hostErrorShare),
          host: h.host,
          message: `${h.host}: ${h.failed} of ${h.pages} pages (${pct(value)}) failed`,
          value,
          threshold: t.hostErrorShare,
        });
      }
    }
  }
  const rank = (a: Alert): number => (a.severity === 'critical' ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || a.kind.localeCompare(b.kind) || b.value - a.value || (a.host ?? '').localeCompare(b.host ?? ''));
}

/** Refusals (robots, policy) are decisions, not failures: the same split as collect's summary. */
const FAILED_SQL = `error_code IS NOT NULL AND error_code <> 'JVX_ERR_ROBOTS_DISALLOWED' AND error_code NOT LIKE 'JVX_ERR_POLICY%'`;

/**
 * The aggregates of one run, computed in DuckDB over its pages table (one pass per query, nothing
 * per row in JS). Pass an open RunDatabase, or a run folder to open and close one.
 */
export async function queryAlertAggregates(run: RunDatabase | string, lowQualityBelow = DEFAULT_ALERT_THRESHOLDS.lowQualityBelow): Promise<RunAggregates> {
  if (!is.number(0, 1)(lowQualityBelow)) throw new RangeError(`lowQualityBelow must be 0..1, got ${lowQualityBelow}`);
  // DuckDB is loaded only here: the score module also runs inside the extraction worker threads.
  const db = typeof run === 'string' ? await (await import('../query/index.js')).openRunDatabase(run, { threads: 1 }) : run;
  try {
    const totals = await db.query(
      `SELECT count(*)::BIGINT AS pages, count(quality)::BIGINT AS scored, count(*) FILTER (WHERE quality < ${lowQualityBelow})::BIGINT AS low FROM pages`,
    );
    const hosts = await db.query(
      `SELECT coalesce(url_host_name, '') AS host, count(*)::BIGINT AS pages, count(quality)::BIGINT AS scored,
              count(*) FILTER (WHERE quality IS NOT NULL AND soft_404)::BIGINT AS soft404,
              count(*) FILTER (WHERE ${FAILED_SQL})::BIGINT AS failed
         FROM pages GROUP BY 1 ORDER BY 1`,
    );
    const t = totals[0] ?? {};
    return {
      pages: Number(t.pages ?? 0),
      scored: Number(t.scored ?? 0),
      lowQuality: Number(t.low ?? 0),
      hosts: hosts.map((h) => ({ host: String(h.host), pages: Number(h.pages), scored: Number(h.scored), soft404: Number(h.soft404), failed: Number(h.failed) })),
    };
  } finally {
    if (typeof run === 'string') await db.close();
  }
}

/** The alerts of a run folder: queryAlertAggregates then computeAlerts. */
export async function runAlerts(run: RunDatabase | string, thresholds?: Partial<AlertThresholds>): Promise<Alert[]> {
  const t = resolveAlertThresholds(thresholds);
  return computeAlerts(await queryAlertAggregates(run, t.lowQualityBelow), t);
}
