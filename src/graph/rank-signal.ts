import { findVertex } from './builder.js';
import { pageKey } from './levels.js';
import { positions } from './positions.js';
import { loadGraph } from './traversal-api.js';

/**
 * The link rank of pages as a scoring feature: the PageRank percentile of the page in the run's
 * page graph, 0..100 (100 = the highest-ranked page, 0 = the lowest or not in the graph).
 * Percentiles rather than raw PageRank, whose values shrink as the graph grows, so one profile
 * weight means the same on a small run and a big one. Throws GraphNotBuiltError without a graph.
 */
export async function loadRankSignal(runDir: string): Promise<(url: string) => number | null> {
  const g = await loadGraph(runDir, 'page');
  const n = g.stored.graph.nodeCount;
  const pos = positions(g.stored.pagerank);
  return (url) => {
    const key = pageKey(url);
    const id = key === null ? -1 : findVertex(g.stored.names, key);
    if (id === -1) return null;
    return n <= 1 ? 100 : (100 * (n - pos[id]!)) / (n - 1);
  };
}
