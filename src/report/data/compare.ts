import { join } from 'node:path';
import { listShards } from '../../dataset/index.js';
import type { RunDatabase } from '../../query/index.js';
import { count, FAILED, MAX_TEXT_CHARS, MAX_URL_CHARS, maybe, one, text } from './sql.js';
import type { Bucket, Comparison, RunSummary, ScoreStats } from './types.js';

export interface RunFigures {
  readonly run: string;
  readonly runDir: string;
  readonly summary: RunSummary;
  readonly scores: ScoreStats;
  readonly actions: readonly Bucket[];
}

const quote = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/**
 * `base_pages`: the baseline run's pages shards read from the current run's database, so URL-level
 * joins (action transitions, score movers) run inside DuckDB, which spills them to disk when big.
 */
async function attachBaseline(db: RunDatabase, baselineDir: string): Promise<void> {
  const files = (await listShards(baselineDir, 'pages')).map((s) => join(baselineDir, s.rel));
  const columns = 'url, url_host_name, score, action, error_code, title';
  const select =
    files.length === 0
      ? `SELECT CAST(NULL AS VARCHAR) AS url, CAST(NULL AS VARCHAR) AS url_host_name, CAST(NULL AS DOUBLE) AS score, CAST(NULL AS VARCHAR) AS action, CAST(NULL AS VARCHAR) AS error_code, CAST(NULL AS VARCHAR) AS title WHERE false`
      : `SELECT ${columns} FROM read_parquet([${files.map(quote).join(', ')}], union_by_name = true)`;
  await db.query(`CREATE OR REPLACE VIEW base_pages AS ${select}`);
}

/** How `current` (whose database is `db`) changed since `baseline`. */
export async function compareRuns(db: RunDatabase, current: RunFigures, baseline: RunFigures, topN: number): Promise<Comparison> {
  await attachBaseline(db, baseline.runDir);
  const u = one(
    await db.query(`
    SELECT count(*) FILTER (WHERE b.url IS NOT NULL AND c.url IS NOT NULL) AS shared,
      count(*) FILTER (WHERE c.url IS NULL) AS only_baseline,
      count(*) FILTER (WHERE b.url IS NULL) AS only_current
    FROM base_pages b FULL OUTER JOIN pages c ON b.url = c.url`),
  );
  const transitions = await db.query(`
    SELECT coalesce(b.action, 'none') AS f, coalesce(c.action, 'none') AS t, count(*) AS n
    FROM base_pages b JOIN pages c ON b.url = c.url GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 100`);
  const movers = await db.query(`
    SELECT left(c.url, ${MAX_URL_CHARS}) AS url, left(coalesce(c.title, b.title), ${MAX_TEXT_CHARS}) AS title,
      b.score AS before, c.score AS after, b.action AS action_before, c.action AS action_after
    FROM base_pages b JOIN pages c ON b.url = c.url
    WHERE b.score IS DISTINCT FROM c.score OR b.action IS DISTINCT FROM c.action
    ORDER BY abs(coalesce(c.score, 0) - coalesce(b.score, 0)) DESC, c.url LIMIT ${topN}`);
  const hosts = await db.query(`
    WITH b AS (SELECT coalesce(url_host_name, '(no host)') AS h, count(*) AS p, count(*) FILTER (WHERE ${FAILED}) AS e FROM base_pages GROUP BY 1),
         c AS (SELECT coalesce(url_host_name, '(no host)') AS h, count(*) AS p, count(*) FILTER (WHERE ${FAILED}) AS e FROM pages GROUP BY 1)
    SELECT coalesce(c.h, b.h) AS host, coalesce(b.p, 0) AS pb, coalesce(c.p, 0) AS pa, coalesce(b.e, 0) AS eb, coalesce(c.e, 0) AS ea
    FROM b FULL OUTER JOIN c ON b.h = c.h
    WHERE coalesce(b.p, 0) <> coalesce(c.p, 0) OR coalesce(b.e, 0) <> coalesce(c.e, 0)
    ORDER BY abs(coalesce(c.p, 0) - coalesce(b.p, 0)) + abs(coalesce(c.e, 0) - coalesce(b.e, 0)) DESC, host LIMIT ${topN}`);
  return {
    baseline: baseline.run,
    current: current.run,
    before: { summary: baseline.summary, scores: baseline.scores, actions: baseline.actions },
    after: { summary: current.summary, scores: current.scores, actions: current.actions },
    urls: { shared: count(u.shared), onlyBaseline: count(u.only_baseline), onlyCurrent: count(u.only_current) },
    transitions: transitions.map((r) => ({ from: String(r.f), to: String(r.t), count: count(r.n) })),
    movers: movers.map((r) => ({
      url: String(r.url),
      title: text(r.title),
      before: maybe(r.before),
      after: maybe(r.after),
      actionBefore: text(r.action_before),
      actionAfter: text(r.action_after),
    })),
    hosts: hosts.map((r) => ({ host: String(r.host), pagesBefore: count(r.pb), pagesAfter: count(r.pa), errorsBefore: count(r.eb), errorsAfter: count(r.ea) })),
  };
}
