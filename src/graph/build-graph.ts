import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { is, resolveOptions, type Checks } from '../options/index.js';
import { VERSION } from '../version.js';
import { writeGraphFile, type StoredGraph } from './graph-file.js';
import { harmonicExact } from './harmonic.js';
import { HYPERBALL_DEFAULTS, hyperBall, hyperBallRelativeError } from './hyperball.js';
import { GRAPH_LEVELS, type GraphLevel } from './levels.js';
import { PAGERANK_DEFAULTS, pageRank } from './pagerank.js';
import { positions } from './positions.js';
import { buildRunGraph, type GraphSourceStats } from './source.js';
import { writeCommonCrawl } from './write-cc.js';
import { writeEdgesParquet, writeVerticesParquet } from './write-parquet.js';

export type GraphFormat = 'parquet' | 'cc';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['parquet', 'cc'];

export interface GraphBuildOptions {
  /** Run folders graphed together; the output goes to the first one's graph/ folder. */
  runDirs: string[];
  level: GraphLevel;
  formats: GraphFormat[];
  damping: number;
  /** PageRank stops when the L1 change of an iteration is below tolerance × vertices. */
  tolerance: number;
  maxIterations: number;
  /** Harmonic centrality is exact (one BFS per vertex) up to this many vertices, HyperBall beyond. */
  harmonicExactMaxVertices: number;
  /** HyperBall registers per vertex: 2^log2m (relative standard error 1.04/√(2^log2m)). */
  hyperBallLog2m: number;
  /** Progress lines (phase, counts) for long builds. */
  onProgress: ((line: string) => void) | null;
}

const defaults = (): GraphBuildOptions => ({
  runDirs: [],
  level: 'page',
  formats: ['parquet'],
  damping: PAGERANK_DEFAULTS.damping,
  tolerance: PAGERANK_DEFAULTS.tolerance,
  maxIterations: PAGERANK_DEFAULTS.maxIterations,
  harmonicExactMaxVertices: 10_000,
  hyperBallLog2m: HYPERBALL_DEFAULTS.log2m,
  onProgress: null,
});

const checks: Checks<GraphBuildOptions> = {
  runDirs: [(v): v is string[] => is.stringArray(v) && v.length > 0 && v.every((s) => s.length > 0), 'one or more run folders'],
  level: [is.oneOf(...GRAPH_LEVELS), GRAPH_LEVELS.join(', ')],
  formats: [(v): v is GraphFormat[] => Array.isArray(v) && v.length > 0 && v.every((f) => (GRAPH_FORMATS as unknown[]).includes(f)), `a non-empty list of ${GRAPH_FORMATS.join(', ')}`],
  damping: [(v): v is number => is.number(0, 1)(v) && v < 1, 'a number from 0 to below 1'],
  tolerance: [(v): v is number => is.number(0, 1)(v) && v > 0, 'a number above 0 and at most 1'],
  maxIterations: [is.int(1, 1_000_000), 'an integer 1..1000000'],
  harmonicExactMaxVertices: [is.int(0, 2 ** 30), 'an integer 0..2^30'],
  hyperBallLog2m: [is.int(4, 10), 'an integer 4..10'],
  onProgress: [(v): v is ((line: string) => void) | null => v === null || typeof v === 'function', 'a function or null'],
};

export interface GraphManifest {
  level: GraphLevel;
  runs: string[];
  jarvix: string;
  builtAt: string;
  vertices: number;
  edges: number;
  source: GraphSourceStats;
  pagerank: { damping: number; tolerance: number; iterations: number; delta: number; converged: boolean };
  harmonic: { method: 'exact' | 'hyperball'; iterations: number; log2m: number | null; relativeError: number };
  timingsMs: { build: number; pagerank: number; harmonic: number; write: number };
  files: string[];
}

/** graph/ for pages (what search and `jarvix query` read as vertices/edges), graph/<level>/ otherwise. */
export function levelDir(runDir: string, level: GraphLevel): string {
  return level === 'page' ? join(runDir, 'graph') : join(runDir, 'graph', level);
}

export const GRAPH_FILE = 'graph.bin';
export const MANIFEST_FILE = 'graph.json';

/**
 * `jarvix graph`: reads the runs' links and redirects, builds the graph at one level, ranks it
 * (PageRank, harmonic centrality) and writes the binary graph (for traversal), the manifest, and
 * the Parquet tables and/or Common Crawl text files.
 */
export async function buildGraph(options: Partial<GraphBuildOptions>): Promise<GraphManifest> {
  const o = resolveOptions('graph', defaults(), checks, options);
  const say = (line: string): void => o.onProgress?.(line);
  let t = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const ms = Math.round(now - t);
    t = now;
    return ms;
  };
  let lastReport = 0;
  const { graph: named, stats } = await buildRunGraph(o.runDirs, o.level, (p) => {
    const now = performance.now();
    if (p.phase === 'csr' || now - lastReport >= 1000) {
      lastReport = now;
      say(p.phase === 'csr' ? `building ${o.level} graph from ${p.rows} links` : `read ${p.rows} ${p.phase} rows`);
    }
  });
  const g = named.graph;
  const build = lap();
  say(`${g.nodeCount} vertices, ${g.edgeCount} edges (${stats.selfLinks} self-links dropped) in ${build} ms`);
  const pr = pageRank(g, { damping: o.damping, tolerance: o.tolerance, maxIterations: o.maxIterations });
  const prMs = lap();
  say(`pagerank: ${pr.iterations} iterations, L1 change ${pr.delta.toExponential(2)} (${prMs} ms)`);
  const exact = g.nodeCount <= o.harmonicExactMaxVertices;
  let harmonic: Float64Array;
  let harmonicIterations: number;
  if (exact) {
    harmonic = harmonicExact(g, (done) => say(`harmonic (exact): ${done}/${g.nodeCount} sources`));
    harmonicIterations = g.nodeCount;
  } else {
    const hb = hyperBall(g, { log2m: o.hyperBallLog2m, onIteration: (i, changed) => say(`harmonic (HyperBall): distance ${i}, ${changed} balls grew`) });
    harmonic = hb.harmonic;
    harmonicIterations = hb.iterations;
  }
  const harmonicMs = lap();
  const stored: StoredGraph = { graph: g, attributes: named.attributes, names: named.names, pagerank: pr.rank, harmonic, tally: named.tally };
  const dir = levelDir(o.runDirs[0]!, o.level);
  await mkdir(dir, { recursive: true });
  const files = [join(dir, GRAPH_FILE)];
  await writeGraphFile(files[0]!, stored);
  const prPos = positions(pr.rank);
  const hPos = positions(harmonic);
  if (o.formats.includes('parquet')) {
    const vertices = join(dir, 'vertices', 'part-0.parquet');
    const edges = join(dir, 'edges', 'part-0.parquet');
    await writeVerticesParquet(vertices, o.level, stored, prPos, hPos);
    await writeEdgesParquet(edges, stored);
    files.push(vertices, edges);
  }
  if (o.formats.includes('cc')) files.push(...(await writeCommonCrawl(dir, o.level, stored, prPos, hPos)));
  const write = lap();
  const manifest: GraphManifest = {
    level: o.level,
    runs: o.runDirs.map((d) => basename(d)),
    jarvix: VERSION,
    builtAt: new Date().toISOString(),
    vertices: g.nodeCount,
    edges: g.edgeCount,
    source: stats,
    pagerank: { damping: o.damping, tolerance: o.tolerance, iterations: pr.iterations, delta: pr.delta, converged: pr.converged },
    harmonic: exact
      ? { method: 'exact', iterations: harmonicIterations, log2m: null, relativeError: 0 }
      : { method: 'hyperball', iterations: harmonicIterations, log2m: o.hyperBallLog2m, relativeError: hyperBallRelativeError(o.hyperBallLog2m) },
    timingsMs: { build, pagerank: prMs, harmonic: harmonicMs, write },
    files: files.map((f) => f.slice(o.runDirs[0]!.length + 1)),
  };
  const manifestPath = join(dir, MANIFEST_FILE);
  await writeFile(`${manifestPath}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${manifestPath}.tmp`, manifestPath);
  return manifest;
}
