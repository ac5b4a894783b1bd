import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { scanTable } from '../dataset/index.js';
import { GraphBuilder, type NamedGraph } from './builder.js';
import { GraphNoLinksError, GraphRunNotFoundError } from './errors.js';
import { domainOf, vertexKey, type GraphLevel } from './levels.js';
import { NameTable } from './name-table.js';

export interface SourceProgress {
  phase: 'pages' | 'links' | 'csr';
  /** Rows read so far in this phase. */
  rows: number;
}

export interface GraphSourceStats {
  runs: string[];
  pageRows: number;
  linkRows: number;
  redirects: number;
  /** Links whose ends are not both http(s) URLs (or have no host at host/domain level). */
  skipped: number;
  /** Links (or redirects) from a vertex to itself, dropped. */
  selfLinks: number;
}

/**
 * Builds the graph of one or more runs at a level, streaming their committed shards one row group
 * at a time: every page is a vertex (so pages nobody links to, and pages with no link, still get a
 * rank), every link an edge, and every redirect (pages.fetch_redirect) an edge from the URL asked
 * for to where it led, marked `redirect`. Fragments are cut off; self-links dropped; at host and
 * domain level a link inside one host (domain) is a self-link.
 */
export async function buildRunGraph(runDirs: readonly string[], level: GraphLevel, onProgress?: (p: SourceProgress) => void): Promise<{ graph: NamedGraph; stats: GraphSourceStats }> {
  for (const dir of runDirs) {
    const found = await stat(dir).catch(() => null);
    if (!found?.isDirectory()) throw new GraphRunNotFoundError(dir);
  }
  const builder = new GraphBuilder(1 << 16);
  const stats: GraphSourceStats = { runs: runDirs.map((d) => d.split(/[\\/]/).pop() ?? d), pageRows: 0, linkRows: 0, redirects: 0, skipped: 0, selfLinks: 0 };
  // Domain level: how many distinct hosts each domain has (Common Crawl's n_hosts column).
  const hostsSeen = level === 'domain' ? new NameTable(1024) : null;
  // Link ends are interned by addLink itself; only a new host of a domain adds to its tally here.
  const keyOf = (url: string): string | null => {
    if (hostsSeen === null) return vertexKey(level, url);
    const d = domainOf(url);
    if (d === null) return null;
    const before = hostsSeen.size;
    hostsSeen.intern(d.host);
    if (hostsSeen.size > before) builder.addVertex(d.domain, 1);
    return d.domain;
  };
  const progress = (phase: SourceProgress['phase'], rows: number): void => onProgress?.({ phase, rows });

  for (const dir of runDirs) {
    for await (const batch of scanTable(dir, 'pages', { columns: ['url', 'fetch_redirect'] })) {
      for (const row of batch) {
        stats.pageRows++;
        const from = keyOf(String(row.url));
        if (from !== null) builder.addVertex(from);
        const to = typeof row.fetch_redirect === 'string' && row.fetch_redirect !== '' ? keyOf(row.fetch_redirect) : null;
        if (to === null) continue;
        stats.redirects++;
        if (from === null) stats.skipped++;
        else builder.addLink(from, to, false, true);
      }
      progress('pages', stats.pageRows);
    }
  }
  for (const dir of runDirs) {
    // Links of one page are written together: its key is computed once per page, not per link.
    let lastSrc = '';
    let lastId = -1;
    for await (const batch of scanTable(dir, 'links', { columns: ['src_url', 'dst_url', 'nofollow'] })) {
      for (const row of batch) {
        stats.linkRows++;
        const src = String(row.src_url);
        if (src !== lastSrc) {
          lastSrc = src;
          const key = keyOf(src);
          lastId = key === null ? -1 : builder.vertexId(key);
        }
        const to = keyOf(String(row.dst_url));
        if (lastId === -1 || to === null) {
          stats.skipped++;
          continue;
        }
        builder.addLinkById(lastId, builder.vertexId(to), row.nofollow === true);
      }
      progress('links', stats.linkRows);
    }
  }
  if (stats.linkRows === 0 && stats.redirects === 0) throw new GraphNoLinksError(stats.runs);
  progress('csr', stats.linkRows);
  stats.selfLinks = builder.counts.selfLinks;
  return { graph: builder.finish(), stats };
}

export const graphDir = (runDir: string): string => join(runDir, 'graph');
