/**
 * What a lenient reader met and worked around. Every leniency has a stable code and is counted;
 * the first `maxEvents` are kept with their offset for reports. Nothing is printed.
 */
export const ANOMALY_CODES = [
  'gzip-garbage',
  'gzip-truncated',
  'gzip-corrupt',
  'gzip-crc',
  'gzip-shared-member',
  'gzip-record-spans-members',
  'garbage-skipped',
  'extra-blank-lines',
  'lf-line-endings',
  'bad-header-line',
  'header-too-long',
  'truncated-header',
  'missing-content-length',
  'content-length-too-long',
  'content-length-too-short',
  'truncated-block',
  'missing-crlf',
  'uri-angle-brackets',
  'uri-spaces',
  'odd-date',
  'arc-bad-header',
  'unknown-version',
] as const;

export type AnomalyCode = (typeof ANOMALY_CODES)[number];

export interface Anomaly {
  readonly code: AnomalyCode;
  /** Offset of the record (or gzip member) it belongs to. */
  readonly offset: number;
  readonly detail: string;
}

export class Anomalies {
  readonly counts: Partial<Record<AnomalyCode, number>> = {};
  readonly events: Anomaly[] = [];
  readonly #maxEvents: number;
  /** Called for every anomaly (verify uses it to report each one). */
  onAnomaly: ((a: Anomaly) => void) | undefined;

  constructor(maxEvents = 1000) {
    this.#maxEvents = maxEvents;
  }

  add(code: AnomalyCode, offset: number, detail: string): void {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
    const a = { code, offset, detail };
    if (this.events.length < this.#maxEvents) this.events.push(a);
    this.onAnomaly?.(a);
  }

  get total(): number {
    let n = 0;
    for (const v of Object.values(this.counts)) n += v;
    return n;
  }
}
