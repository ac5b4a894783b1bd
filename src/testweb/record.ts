/**
 * What the server saw, per host: every request (up to a cap) and the peaks of concurrent
 * connections and requests. Tests read it to check a client's politeness from the server's side.
 */
export interface RequestRecord {
  readonly path: string;
  readonly method: string;
  /** Epoch milliseconds (fractional) when the request head arrived. */
  readonly start: number;
  /** Epoch milliseconds when the response ended or the socket closed. */
  end: number;
  /** Status sent, or 0 when none was (reset, hang, client gave up). */
  status: number;
  /** Body bytes written (after compression). */
  bytes: number;
  readonly connectionId: number;
}

export interface HostRecord {
  readonly host: string;
  /** Per-request detail, in arrival order (empty beyond the record's cap). */
  readonly requests: RequestRecord[];
  totalRequests: number;
  maxConcurrentConnections: number;
  maxConcurrentRequests: number;
  openConnections: number;
  activeRequests: number;
}

export interface HostSummary {
  readonly host: string;
  readonly totalRequests: number;
  readonly maxConcurrentConnections: number;
  readonly maxConcurrentRequests: number;
  readonly minGapMs: number | null;
  readonly statusCounts: Record<string, number>;
}

export interface RecordSummary {
  readonly totalRequests: number;
  readonly recordedRequests: number;
  readonly truncated: boolean;
  readonly maxConcurrentConnections: number;
  readonly maxConcurrentRequests: number;
  readonly hosts: Record<string, HostSummary>;
}

export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class ServerRecord {
  readonly #hosts = new Map<string, HostRecord>();
  readonly #maxDetail: number;
  #recorded = 0;
  #totalRequests = 0;
  #openConnections = 0;
  #activeRequests = 0;
  #maxConnections = 0;
  #maxRequests = 0;

  constructor(maxRecordedRequests: number) {
    this.#maxDetail = maxRecordedRequests;
  }

  get totalRequests(): number {
    return this.#totalRequests;
  }
  get maxConcurrentConnections(): number {
    return this.#maxConnections;
  }
  get maxConcurrentRequests(): number {
    return this.#maxRequests;
  }
  get truncated(): boolean {
    return this.#recorded < this.#totalRequests;
  }

  host(name: string): HostRecord | undefined {
    return this.#hosts.get(name);
  }

  /** Every host that was asked for something, by name. */
  get hosts(): ReadonlyMap<string, HostRecord> {
    return this.#hosts;
  }

  #hostRecord(name: string): HostRecord {
    let rec = this.#hosts.get(name);
    if (!rec) {
      rec = { host: name, requests: [], totalRequests: 0, maxConcurrentConnections: 0, maxConcurrentRequests: 0, openConnections: 0, activeRequests: 0 };
      this.#hosts.set(name, rec);
    }
    return rec;
  }

  connectionOpened(): void {
    this.#openConnections++;
    this.#maxConnections = Math.max(this.#maxConnections, this.#openConnections);
  }

  connectionClosed(): void {
    this.#openConnections--;
  }

  /** A connection served its first request for `host`: it counts toward that host until it closes. */
  hostConnectionOpened(host: string): void {
    const rec = this.#hostRecord(host);
    rec.openConnections++;
    rec.maxConcurrentConnections = Math.max(rec.maxConcurrentConnections, rec.openConnections);
  }

  hostConnectionClosed(host: string): void {
    const rec = this.#hosts.get(host);
    if (rec) rec.openConnections--;
  }

  /** Returns the entry to complete with `requestEnded`. */
  requestStarted(host: string, method: string, path: string, connectionId: number): RequestRecord {
    const rec = this.#hostRecord(host);
    rec.totalRequests++;
    rec.activeRequests++;
    rec.maxConcurrentRequests = Math.max(rec.maxConcurrentRequests, rec.activeRequests);
    this.#totalRequests++;
    this.#activeRequests++;
    this.#maxRequests = Math.max(this.#maxRequests, this.#activeRequests);
    const entry: RequestRecord = { path, method, start: nowMs(), end: 0, status: 0, bytes: 0, connectionId };
    if (this.#recorded < this.#maxDetail) {
      rec.requests.push(entry);
      this.#recorded++;
    }
    return entry;
  }

  requestEnded(host: string, entry: RequestRecord, status: number, bytes: number): void {
    if (entry.end !== 0) return;
    entry.end = nowMs();
    entry.status = status;
    entry.bytes = bytes;
    const rec = this.#hosts.get(host);
    if (rec) rec.activeRequests--;
    this.#activeRequests--;
  }

  /** Smallest gap between the end of one request and the start of the next on a host (negative when they overlap). */
  minGapMs(host: string): number | null {
    const rec = this.#hosts.get(host);
    if (!rec || rec.requests.length < 2) return null;
    const list = [...rec.requests].sort((a, b) => a.start - b.start);
    // A request still open counts as ending now: whatever starts meanwhile overlaps it.
    const now = nowMs();
    const endOf = (r: RequestRecord): number => (r.end === 0 ? now : r.end);
    let min = Infinity;
    let lastEnd = endOf(list[0]!);
    for (let i = 1; i < list.length; i++) {
      const r = list[i]!;
      min = Math.min(min, r.start - lastEnd);
      lastEnd = Math.max(lastEnd, endOf(r));
    }
    return min;
  }

  /** Keeps the live connection and request counts (they still close later) and forgets the rest. */
  reset(): void {
    for (const rec of this.#hosts.values()) {
      rec.requests.length = 0;
      rec.totalRequests = 0;
      rec.maxConcurrentConnections = rec.openConnections;
      rec.maxConcurrentRequests = rec.activeRequests;
    }
    this.#recorded = 0;
    this.#totalRequests = 0;
    this.#maxConnections = this.#openConnections;
    this.#maxRequests = this.#activeRequests;
  }

  summary(): RecordSummary {
    const hosts: Record<string, HostSummary> = {};
    for (const rec of this.#hosts.values()) {
      if (rec.totalRequests === 0) continue;
      const statusCounts: Record<string, number> = {};
      for (const r of rec.requests) statusCounts[r.status] = (statusCounts[r.status] ?? 0) + 1;
      hosts[rec.host] = {
        host: rec.host,
        totalRequests: rec.totalRequests,
        maxConcurrentConnections: rec.maxConcurrentConnections,
        maxConcurrentRequests: rec.maxConcurrentRequests,
        minGapMs: this.minGapMs(rec.host),
        statusCounts,
      };
    }
    return {
      totalRequests: this.#totalRequests,
      recordedRequests: this.#recorded,
      truncated: this.truncated,
      maxConcurrentConnections: this.#maxConnections,
      maxConcurrentRequests: this.#maxRequests,
      hosts,
    };
  }
}
