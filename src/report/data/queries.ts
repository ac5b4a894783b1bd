import type { RunDatabase } from '../../query/index.js';
import { isRefusal } from '../../errors/index.js';
import { ANSWERED, count, date, FAILED, MAX_TEXT_CHARS, MAX_URL_CHARS, maybe, one, REFUSAL, ROBOTS, text } from './sql.js';
import type { Bucket, DeadLetterClass, ErrorClass, HostRow, ScoreStats, Throughput, TopPage } from './types.js';

/**
 * The report's aggregates, each one SQL statement over the run's views. DuckDB streams the Parquet
 * and spills big GROUP BYs to disk, so memory stays bounded whatever the run's size; what comes back
 * to JS is a handful of rows per statement.
 */

export interface PageTotals {
  attempted: number;
  fetched: number;
  failed: number;
  refused: number;
  robotsBlocked: number;
  latency: { p50: number | null; p95: number | null; p99: number | null; mean: number | null };
  payloadBytes: number;
  firstFetch: Date | null;
  lastFetch: Date | null;
  soft404: number;
  paywall: number;
  truncated: number;
  unscoredFetched: number;
  hostCount: number;
}

export async function pageTotals(db: RunDatabase): Promise<PageTotals> {
  const r = one(
    await db.query(`
    SELECT count(*) AS attempted,
      count(*) FILTER (WHERE error_code IS NULL) AS fetched,
      count(*) FILTER (WHERE ${FAILED}) AS failed,
      count(*) FILTER (WHERE ${REFUSAL}) AS refused,
      count(*) FILTER (WHERE ${ROBOTS}) AS robots,
      quantile_disc(duration_ms, [0.5, 0.95, 0.99]) FILTER (WHERE ${ANSWERED}) AS q,
      avg(duration_ms) FILTER (WHERE ${ANSWERED}) AS mean,
      sum(content_length) AS payload,
      min(fetch_time) AS first, max(fetch_time) AS last,
      count(*) FILTER (WHERE soft_404) AS soft404,
      count(*) FILTER (WHERE paywall) AS paywall,
      count(*) FILTER (WHERE content_truncated IS NOT NULL) AS truncated,
      count(*) FILTER (WHERE error_code IS NULL AND score IS NULL) AS unscored,
      count(DISTINCT url_host_name) AS hosts
    FROM pages`),
  );
  const q = Array.isArray(r.q) ? (r.q as unknown[]) : [];
  return {
    attempted: count(r.attempted),
    fetched: count(r.fetched),
    failed: count(r.failed),
    refused: count(r.refused),
    robotsBlocked: count(r.robots),
    latency: { p50: maybe(q[0]), p95: maybe(q[1]), p99: maybe(q[2]), mean: maybe(r.mean) },
    payloadBytes: count(r.payload),
    firstFetch: date(r.first),
    lastFetch: date(r.last),
    soft404: count(r.soft404),
    paywall: count(r.paywall),
    truncated: count(r.truncated),
    unscoredFetched: count(r.unscored),
    hostCount: count(r.hosts),
  };
}

export async function deadLetterCount(db: RunDatabase): Promise<number> {
  return count(one(await db.query('SELECT count(*) AS n FROM errors')).n);
}

const BIN_LABELS = Array.from({ length: 10 }, (_, i) => `${i * 10}–${i * 10 + 10}`);

/** Scores are DOUBLEs (71.25): binned with floor() on the double itself, so no fraction is lost. */
export async function scoreStats(db: RunDatabase): Promise<ScoreStats> {
  const s = one(
    await db.query(`
    SELECT count(score) AS scored, min(score) AS min, max(score) AS max, avg(score) AS mean,
      quantile_cont(score, 0.5) AS median,
      count(*) FILTER (WHERE score < 0 OR score > 100) AS out_of_range
    FROM pages`),
  );
  const counts = new Array<number>(10).fill(0);
  const rows = await db.query(`
    SELECT least(floor(score / 10), 9)::INTEGER AS bin, count(*) AS n
    FROM pages WHERE score >= 0 AND score <= 100 GROUP BY 1`);
  for (const row of rows) counts[count(row.bin)] = count(row.n);
  return {
    scored: count(s.scored),
    min: maybe(s.min),
    max: maybe(s.max),
    mean: maybe(s.mean),
    median: maybe(s.median),
    bins: counts.map((n, i) => ({ label: BIN_LABELS[i]!, count: n })),
    outOfRange: count(s.out_of_range),
  };
}

const ACTION_ORDER = ['BUY', 'MONITOR', 'SKIP'];

/** Pages per action, the three known ones first (present even at zero, so runs compare bar for bar). */
export async function actionCounts(db: RunDatabase): Promise<Bucket[]> {
  const rows = await db.query(`SELECT action, count(*) AS n FROM pages WHERE action IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`);
  const found = new Map(rows.map((r) => [String(r.action), count(r.n)]));
  const out: Bucket[] = ACTION_ORDER.map((a) => ({ label: a, count: found.get(a) ?? 0 }));
  for (const [label, n] of found) if (!ACTION_ORDER.includes(label)) out.push({ label, count: n });
  return out;
}

export async function statusCounts(db: RunDatabase, maxBars = 12): Promise<Bucket[]> {
  const rows = await db.query(`SELECT fetch_status AS status, count(*) AS n FROM pages GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST`);
  const out: Bucket[] = [];
  let other = 0;
  for (const r of rows) {
    if (out.length < maxBars) out.push({ label: r.status === null ? 'no answer' : String(r.status), count: count(r.n) });
    else other += count(r.n);
  }
  if (other > 0) out.push({ label: 'other', count: other });
  return out;
}

/** Pages finished per time bucket; at most ~60 buckets of whole seconds, empty ones included. */
export async function throughput(db: RunDatabase, first: Date | null, last: Date | null, maxPoints = 60): Promise<Throughput> {
  if (first === null || last === null) return { bucketMs: 1000, points: [] };
  const spanMs = last.getTime() - first.getTime();
  const bucketMs = Math.max(1000, Math.ceil(spanMs / maxPoints / 1000) * 1000);
  const n = Math.floor(spanMs / bucketMs) + 1;
  const pages = new Array<number>(n).fill(0);
  const rows = await db.query(`
    SELECT floor((epoch_ms(fetch_time) - ${first.getTime()}) / ${bucketMs})::BIGINT AS b, count(*) AS n
    FROM pages WHERE fetch_time IS NOT NULL GROUP BY 1`);
  for (const r of rows) {
    const b = count(r.b);
    if (b >= 0 && b < n) pages[b] = count(r.n);
  }
  return { bucketMs, points: pages.map((p, i) => ({ offsetMs: i * bucketMs, pages: p, pagesPerSecond: p / (bucketMs / 1000) })) };
}

export async function hostRows(db: RunDatabase, orderBy: 'pages' | 'errors', limit: number): Promise<Omit<HostRow, 'delayMs'>[]> {
  const rows = await db.query(`
    SELECT coalesce(url_host_name, '(no host)') AS host, count(*) AS pages,
      count(*) FILTER (WHERE error_code IS NULL) AS fetched,
      count(*) FILTER (WHERE ${FAILED}) AS errors,
      count(*) FILTER (WHERE ${ROBOTS}) AS robots,
      avg(duration_ms) FILTER (WHERE ${ANSWERED}) AS latency
    FROM pages GROUP BY 1
    ${orderBy === 'errors' ? 'HAVING count(*) FILTER (WHERE ' + FAILED + ') > 0' : ''}
    ORDER BY ${orderBy === 'errors' ? 'errors DESC, pages DESC' : 'pages DESC, errors DESC'}, host LIMIT ${limit}`);
  return rows.map((r) => ({
    host: String(r.host),
    pages: count(r.pages),
    fetched: count(r.fetched),
    errors: count(r.errors),
    robotsBlocked: count(r.robots),
    avgLatencyMs: maybe(r.latency),
  }));
}

export async function topPages(db: RunDatabase, limit: number): Promise<TopPage[]> {
  // ORDER BY … LIMIT is a top-N heap in DuckDB: bounded memory however many pages there are.
  const rows = await db.query(`
    SELECT left(url, ${MAX_URL_CHARS}) AS url, left(title, ${MAX_TEXT_CHARS}) AS title, score, action, confidence,
      left(reason, ${MAX_TEXT_CHARS}) AS reason
    FROM pages WHERE score IS NOT NULL ORDER BY score DESC, url LIMIT ${limit}`);
  return rows.map((r) => ({ url: String(r.url), title: text(r.title), score: maybe(r.score), action: text(r.action), confidence: maybe(r.confidence), reason: text(r.reason) }));
}

export async function errorClasses(db: RunDatabase, limit = 30, examples = 3): Promise<ErrorClass[]> {
  const rows = await db.query(`
    SELECT error_code AS code, count(*) AS n,
      min_by(left(url, ${MAX_URL_CHARS}), url, ${examples}) AS urls,
      min_by(left(error_message, ${MAX_TEXT_CHARS}), url, ${examples}) AS messages
    FROM pages WHERE error_code IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`);
  return rows.map((r) => {
    const urls = Array.isArray(r.urls) ? (r.urls as unknown[]) : [];
    const messages = Array.isArray(r.messages) ? (r.messages as unknown[]) : [];
    const code = String(r.code);
    return { code, kind: isRefusal(code) ? 'refused' : 'failed', count: count(r.n), examples: urls.map((u, i) => ({ url: String(u), message: text(messages[i]) })) };
  });
}

export async function deadLetterClasses(db: RunDatabase, limit = 30): Promise<DeadLetterClass[]> {
  const rows = await db.query(`
    SELECT stage, error_code AS code, count(*) AS n, left(min(url), ${MAX_URL_CHARS}) AS url
    FROM errors GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ${limit}`);
  return rows.map((r) => ({ stage: String(r.stage), code: String(r.code), count: count(r.n), exampleUrl: String(r.url) }));
}
