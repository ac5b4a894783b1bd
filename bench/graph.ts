/**
 * The link graph at scale: `node --import tsx bench/graph.ts` (NODES, AVG_DEGREE, REAL=0 to skip
 * the collect). A synthetic power-law-ish web of NODES pages (default 1,000,000) and about
 * NODES × AVG_DEGREE links (default 10,000,000), fed to the builder as URL strings grouped by
 * source page (as the links table holds them): build (URL → id, CSR) and PageRank timed, peak RSS
 * read after; then HyperBall harmonic centrality, the binary graph file written and read back, and
 * 2-hop neighbourhoods timed on it. Baseline: generating the same URL strings without the builder,
 * so the ratio shows what the graph costs beyond producing its input. Then the graph of a real small
 * `--follow` collect on the synthetic web. Checks its own work: every vertex and edge accounted
 * for, PageRank sums to 1 and converged, neighbourhoods agree before and after the file round trip.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../src/graph/builder.js';
import { pageRank } from '../src/graph/pagerank.js';
import { hyperBall } from '../src/graph/hyperball.js';
import { Traverser } from '../src/graph/traverse.js';
import { readGraphFile, writeGraphFile } from '../src/graph/graph-file.js';
import { buildGraph } from '../src/graph/build-graph.js';

const NODES = Number(process.env.NODES ?? 1_000_000);
const AVG_DEGREE = Number(process.env.AVG_DEGREE ?? 10);
const REAL = process.env.REAL !== '0';
const HOSTS = 20_000;

let seed = 12345;
const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const url = (i: number): string => `http://site-${i % HOSTS}.test/p/${i}`;

/** Out-degree 0..2·AVG (uniform), targets skewed to low ids (in-degree power-law-ish). */
function* links(): Generator<[src: string, dst: string[]]> {
  seed = 12345;
  for (let i = 0; i < NODES; i++) {
    const deg = Math.floor(rnd() * (2 * AVG_DEGREE + 1));
    const dst: string[] = new Array(deg);
    for (let k = 0; k < deg; k++) dst[k] = url(Math.floor(NODES * rnd() ** 3));
    yield [url(i), dst];
  }
}

const maxRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
const fail = (why: string): never => {
  process.stderr.write(`bench graph: FAILED: ${why}\n`);
  process.exit(1);
};

// Baseline: the input alone.
let t = performance.now();
let linkCount = 0;
for (const [, dst] of links()) linkCount += dst.length;
const baselineMs = performance.now() - t;

// CPU time as well as wall time: on a shared machine the wall clock also counts other processes.
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
t = performance.now();
let c = cpuMs();
const builder = new GraphBuilder(NODES);
for (const [src, dst] of links()) {
  const a = builder.vertexId(src);
  for (const d of dst) builder.addLinkById(a, builder.vertexId(d), false);
}
const named = builder.finish();
const buildMs = performance.now() - t;
const buildCpuMs = cpuMs() - c;
t = performance.now();
c = cpuMs();
const pr = pageRank(named.graph);
const pagerankMs = performance.now() - t;
const pagerankCpuMs = cpuMs() - c;
const rssBuildPr = maxRssMb();
const g = named.graph;
if (g.nodeCount !== NODES) fail(`${g.nodeCount} vertices, expected ${NODES}`);
if (builder.counts.links !== linkCount) fail(`${builder.counts.links} links added, generated ${linkCount}`);
const sum = pr.rank.reduce((a, b) => a + b, 0);
if (Math.abs(sum - 1) > 1e-9 || !pr.converged) fail(`pagerank sum ${sum}, converged ${pr.converged}`);

t = performance.now();
c = cpuMs();
const hb = hyperBall(g);
const harmonicMs = performance.now() - t;
const harmonicCpuMs = cpuMs() - c;
const rssHarmonic = maxRssMb();

const dir = await mkdtemp(join(tmpdir(), 'jarvix-bench-graph-'));
try {
  const file = join(dir, 'graph.bin');
  t = performance.now();
  const bytes = await writeGraphFile(file, { ...named, pagerank: pr.rank, harmonic: hb.harmonic });
  const writeMs = performance.now() - t;
  t = performance.now();
  const loaded = await readGraphFile(file);
  const loadMs = performance.now() - t;
  const before = new Traverser(g);
  const after = new Traverser(loaded.graph);
  const p99 = (direction: 'out' | 'in' | 'both'): { p50: number; p99: number; meanSize: number } => {
    seed = 777;
    const lat: number[] = [];
    let size = 0;
    for (let q = 0; q < 2000; q++) {
      const v = Math.floor(rnd() * NODES);
      const s = performance.now();
      const r = after.neighbours(v, 2, direction, 1000);
      lat.push(performance.now() - s);
      size += r.total;
      if (q % 100 === 0 && before.neighbours(v, 2, direction, 1000).total !== r.total) fail(`neighbourhood of ${v} differs after the file round trip`);
    }
    lat.sort((a, b) => a - b);
    return { p50: +lat[1000]!.toFixed(3), p99: +lat[1980]!.toFixed(3), meanSize: Math.round(size / 2000) };
  };
  const twoHop = { out: p99('out'), in: p99('in'), both: p99('both') };

  let real: Record<string, unknown> | null = null;
  if (REAL) real = await realCollect(dir);

  const result = {
    bench: 'graph',
    nodes: NODES,
    edges: g.edgeCount,
    links: linkCount,
    buildMs: Math.round(buildMs),
    pagerankMs: Math.round(pagerankMs),
    buildPlusPagerankMs: Math.round(buildMs + pagerankMs),
    buildCpuMs: Math.round(buildCpuMs),
    pagerankCpuMs: Math.round(pagerankCpuMs),
    buildPlusPagerankCpuMs: Math.round(buildCpuMs + pagerankCpuMs),
    pagerank: { iterations: pr.iterations, delta: pr.delta, tolerance: '1e-9 x N' },
    peakRssMbAfterBuildPagerank: rssBuildPr,
    baselineInputMs: Math.round(baselineMs),
    buildOverInputRatio: +((buildMs + pagerankMs) / baselineMs).toFixed(2),
    harmonic: { method: 'hyperball', log2m: 7, relativeError: +hb.relativeError.toFixed(4), iterations: hb.iterations, ms: Math.round(harmonicMs), cpuMs: Math.round(harmonicCpuMs), peakRssMb: rssHarmonic },
    graphFile: { bytes, writeMs: Math.round(writeMs), loadMs: Math.round(loadMs) },
    twoHopMs: twoHop,
    targets: { buildPagerankUnder10s: buildMs + pagerankMs < 10_000, buildPagerankCpuUnder10s: buildCpuMs + pagerankCpuMs < 10_000, rssUnder500Mb: rssBuildPr < 500, twoHopOutP99Under5ms: twoHop.out.p99 < 5 },
    real,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

/** The graph of a real small `--follow` collect on the synthetic web, through `buildGraph`. */
async function realCollect(dir: string): Promise<Record<string, unknown>> {
  const { startTestWeb } = await import('../src/testweb/index.js');
  const { Collector } = await import('../src/collect/collector.js');
  const { parseResolveRule } = await import('../src/net/index.js');
  const web = await startTestWeb({ seed: 5, hosts: 10, pagesPerHost: 100, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0, robots: {} });
  try {
    await writeFile(join(dir, 'seeds.txt'), Array.from({ length: 10 }, (_, h) => web.url(h, 0)).join('\n'));
    const c0 = performance.now();
    const summary = await new Collector({
      dataDir: dir, runId: 'real', input: join(dir, 'seeds.txt'), resolve: [parseResolveRule(web.resolveRule)], allowPrivate: true,
      hostDelayMs: 0, follow: true, maxDepth: 2, scope: 'host', progress: 'none',
    }).run();
    const collectMs = performance.now() - c0;
    const m = await buildGraph({ runDirs: [join(dir, 'runs', 'real')], formats: ['parquet', 'cc'] });
    if (m.vertices === 0 || m.edges === 0 || !m.pagerank.converged) fail(`real collect graph: ${m.vertices} vertices, ${m.edges} edges`);
    return { pages: summary.counts?.pages ?? null, collectMs: Math.round(collectMs), vertices: m.vertices, edges: m.edges, linkRows: m.source.linkRows, timingsMs: m.timingsMs, pagerankIterations: m.pagerank.iterations, harmonic: m.harmonic.method };
  } finally {
    await web.close();
  }
}
