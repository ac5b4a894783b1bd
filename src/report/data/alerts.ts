import type { Alert, DeadLetterClass, HostRow, RunSummary } from './types.js';
import type { RunManifest } from '../../run/index.js';

/** Thresholds an analyst would want flagged before forwarding the report. */
const LOW_SUCCESS = 0.9;
const VERY_LOW_SUCCESS = 0.5;
const SLOW_P95_MS = 5000;
const BAD_HOST_ERROR_RATE = 0.5;
const BAD_HOST_MIN_PAGES = 5;
const MANY_ROBOTS = 0.1;

export interface AlertInput {
  readonly manifest: RunManifest | null;
  readonly summary: RunSummary;
  readonly hostsByErrors: readonly HostRow[];
  readonly deadLetters: readonly DeadLetterClass[];
  readonly flags: { readonly soft404: number; readonly paywall: number; readonly truncated: number; readonly unscoredFetched: number };
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

export function deriveAlerts({ manifest, summary: s, hostsByErrors, deadLetters, flags }: AlertInput): Alert[] {
  const out: Alert[] = [];
  if (s.attempted === 0) out.push({ level: 'info', text: 'The run has no pages yet: nothing was collected.' });
  if (manifest && manifest.status !== 'finished') out.push({ level: 'warning', text: `The run is ${manifest.status}, not finished: figures cover the committed part only.` });
  if (s.successRate !== null && s.successRate < VERY_LOW_SUCCESS) {
    out.push({ level: 'critical', text: `Only ${pct(s.successRate)} of the fetched URLs succeeded (${s.failed} failed).` });
  } else if (s.successRate !== null && s.successRate < LOW_SUCCESS) {
    out.push({ level: 'warning', text: `Success rate ${pct(s.successRate)} is below ${pct(LOW_SUCCESS)} (${s.failed} failed).` });
  }
  if (s.attempted > 0 && s.robotsBlocked / s.attempted > MANY_ROBOTS) {
    out.push({ level: 'info', text: `${pct(s.robotsBlocked / s.attempted)} of the URLs were blocked by robots.txt.` });
  }
  if (s.latencyMs.p95 !== null && s.latencyMs.p95 > SLOW_P95_MS) out.push({ level: 'warning', text: `Slow fetches: p95 latency is ${Math.round(s.latencyMs.p95)} ms.` });
  const bad = hostsByErrors.filter((h) => h.pages >= BAD_HOST_MIN_PAGES && h.errors / h.pages > BAD_HOST_ERROR_RATE);
  if (bad.length > 0) {
    const names = bad.slice(0, 5).map((h) => `${h.host} (${h.errors}/${h.pages})`);
    out.push({ level: 'warning', text: `Hosts failing more than half their pages: ${names.join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}.` });
  }
  const later = deadLetters.filter((d) => d.stage !== 'fetch').reduce((n, d) => n + d.count, 0);
  if (later > 0) out.push({ level: 'warning', text: `${later} dead letters from stages after fetch (extract, score…): those pages lack analysis.` });
  if (flags.unscoredFetched > 0) out.push({ level: 'info', text: `${flags.unscoredFetched} fetched pages have no score.` });
  if (flags.soft404 > 0) out.push({ level: 'info', text: `${flags.soft404} pages look like "not found" pages served with status 200.` });
  if (flags.truncated > 0) out.push({ level: 'info', text: `${flags.truncated} bodies were truncated (size, time or disconnect).` });
  if (flags.paywall > 0) out.push({ level: 'info', text: `${flags.paywall} pages look paywalled.` });
  return out;
}
