import { InvalidOptionError } from '../errors/index.js';
import { is, resolveOptions, type Checks } from '../options/resolve.js';

export type SearchAction = 'BUY' | 'MONITOR' | 'SKIP';

export interface SearchOptions {
  /** Results per page. */
  limit: number;
  /** Results skipped (paging). */
  offset: number;
  /** Only pages of this host or its subdomains (as site:). */
  host: string | undefined;
  action: SearchAction | undefined;
  /** Capture time window [from, to): a Date, epoch ms, or an ISO 8601 text. */
  from: Date | number | string | undefined;
  to: Date | number | string | undefined;
  /** Candidates read at most per index file before the ranking is cut short (docs/search.md, "Ranking"). */
  candidateBudget: number;
  /** Weight of the static rank added to bm25 (docs/search.md, "Ranking"); 0 ranks by bm25 alone. */
  rankWeight: number;
}

export const MAX_LIMIT = 100;
export const MAX_OFFSET = 1000;

const isTime = (v: unknown): v is Date | number | string | undefined => v === undefined || toMs(v) !== null;

const checks: Checks<SearchOptions> = {
  limit: [is.int(1, MAX_LIMIT), `an integer from 1 to ${MAX_LIMIT}`],
  offset: [is.int(0, MAX_OFFSET), `an integer from 0 to ${MAX_OFFSET}`],
  host: [is.optional(is.nonEmptyString), 'a host name'],
  action: [is.optional(is.oneOf('BUY', 'MONITOR', 'SKIP')), 'BUY, MONITOR or SKIP'],
  from: [isTime, 'a time: ISO 8601 (2026-12-04 or 2026-12-04T10:00:00Z) or epoch milliseconds'],
  to: [isTime, 'a time: ISO 8601 (2026-12-04 or 2026-12-04T10:00:00Z) or epoch milliseconds'],
  candidateBudget: [is.int(64, 10_000_000), 'an integer from 64 to 10000000'],
  rankWeight: [is.number(0, 100), 'a number from 0 to 100'],
};

const defaults: SearchOptions = { limit: 10, offset: 0, host: undefined, action: undefined, from: undefined, to: undefined, candidateBudget: 256, rankWeight: 3 };

export interface ResolvedSearchOptions extends SearchOptions {
  fromMs: number | null;
  toMs: number | null;
}

export function resolveSearchOptions(given: Partial<SearchOptions> | undefined): ResolvedSearchOptions {
  const o = resolveOptions('search', defaults, checks, given);
  const fromMs = o.from === undefined ? null : toMs(o.from);
  const toMsV = o.to === undefined ? null : toMs(o.to);
  if (fromMs !== null && toMsV !== null && toMsV <= fromMs) throw new InvalidOptionError('search.to', 'a time after search.from', o.to);
  return { ...o, fromMs, toMs: toMsV };
}

function toMs(v: unknown): number | null {
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.getTime() : null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v.trim())) {
    const s = v.trim();
    // A bare date or a time without a zone is UTC, as every time jarvix writes.
    const t = Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(s) || s.length === 10 ? s : `${s.replace(' ', 'T')}Z`);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}
