import { beforeAll, describe, expect, it } from 'vitest';
import { buildCsr } from '../../src/graph/csr.js';
import { harmonicExact } from '../../src/graph/harmonic.js';
import { hyperBall, hyperBallRelativeError } from '../../src/graph/hyperball.js';
import { pageRank } from '../../src/graph/pagerank.js';
import { Traverser, type Direction } from '../../src/graph/traverse.js';
import { askNetworkx, networkxAvailable, pairs, trickyGraph, type EdgeList, type NxAnswers, type NxQuestions } from './networkx.js';

const hasNx = networkxAvailable();
const csr = (g: EdgeList) => buildCsr(g.n, Int32Array.from(g.src), Int32Array.from(g.dst)).graph;
const l1 = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s;
};

const GRAPHS: [string, EdgeList][] = [
  ['dangling vertices, parallel edges, disconnected parts', trickyGraph(300, 1500, 1, { selfLoops: false })],
  ['the same kinds with self-loops', trickyGraph(300, 1500, 2, { selfLoops: true })],
  ['a star into one dangling hub', { n: 50, src: Array.from({ length: 49 }, (_, i) => i + 1), dst: Array.from({ length: 49 }, () => 0) }],
  ['no edges at all', { n: 5, src: [], dst: [] }],
  ['a sparse graph where most vertices dangle', trickyGraph(400, 120, 3, { selfLoops: true })],
];

const PARALLEL = { n: 3, src: [0, 0, 0, 1, 2, 2], dst: [1, 1, 1, 2, 2, 0] };
const APPROX = trickyGraph(2000, 12000, 4, { selfLoops: false });
const WALK = trickyGraph(500, 1500, 5, { selfLoops: true });
const dirs: Direction[] = ['out', 'in', 'both'];
const nbQ: [number, number, Direction][] = [];
const pathQ: [number, number, Direction][] = [];
for (let s = 0; s < 500; s += 37) for (const d of dirs) for (const k of [1, 2, 3]) nbQ.push([s, k, d]);
for (let a = 0; a < 500; a += 41) for (let b = 5; b < 500; b += 97) for (const d of dirs) pathQ.push([a, b, d]);

describe.skipIf(!hasNx)('graph algorithms agree with networkx', () => {
  // Every question in one python3 process: importing networkx costs seconds.
  const answers = new Map<string, NxAnswers>();
  beforeAll(() => {
    const asked: [string, NxQuestions][] = [
      ...GRAPHS.map(([name, g]): [string, NxQuestions] => [name, { n: g.n, edges: pairs(g), pagerank: true, harmonic: true }]),
      ['parallel', { n: 3, edges: pairs(PARALLEL), pagerank: true }],
      ['approx', { n: APPROX.n, edges: pairs(APPROX), harmonic: true }],
      ['walk', { n: WALK.n, edges: pairs(WALK), neighbours: nbQ, paths: pathQ }],
    ];
    const got = askNetworkx(asked.map(([, q]) => q));
    asked.forEach(([name], i) => answers.set(name, got[i]!));
  });

  for (const [name, g] of GRAPHS) {
    it(`PageRank and exact harmonic centrality: ${name}`, () => {
      const graph = csr(g);
      const nx = answers.get(name)!;
      const pr = pageRank(graph, { tolerance: 1e-15, maxIterations: 100_000 });
      expect(pr.converged).toBe(true);
      expect(l1(pr.rank, nx.pagerank!)).toBeLessThan(1e-6);
      expect(pr.rank.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      const h = harmonicExact(graph);
      // Exact: sums of 1/d, the same additions in a different order.
      for (let v = 0; v < g.n; v++) expect(h[v]).toBeCloseTo(nx.harmonic![v]!, 9);
    });
  }

  it('parallel edges count once (a DiGraph), and a self-loop is an ordinary edge, as in networkx', () => {
    const graph = csr(PARALLEL);
    expect(graph.edgeCount).toBe(4);
    const nx = answers.get('parallel')!;
    expect(l1(pageRank(graph, { tolerance: 1e-15 }).rank, nx.pagerank!)).toBeLessThan(1e-9);
  });

  it(`HyperBall stays within its stated error (1.04/√m) of networkx's exact harmonic centrality`, () => {
    const g = APPROX;
    const nx = answers.get('approx')!;
    for (const log2m of [6, 8]) {
      const hb = hyperBall(csr(g), { log2m });
      const rse = hyperBallRelativeError(log2m);
      expect(hb.relativeError).toBe(rse);
      const errors: number[] = [];
      for (let v = 0; v < g.n; v++) {
        const exact = nx.harmonic![v]!;
        if (exact >= 10) errors.push(Math.abs(hb.harmonic[v]! - exact) / exact);
      }
      expect(errors.length).toBeGreaterThan(1000);
      errors.sort((a, b) => a - b);
      const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
      expect(mean).toBeLessThan(rse);
      expect(errors[Math.floor(errors.length * 0.95)]).toBeLessThan(3 * rse);
    }
  });

  it('neighbourhoods and shortest paths match networkx in every direction', () => {
    const g = WALK;
    const t = new Traverser(csr(g));
    const nx = answers.get('walk')!;
    nbQ.forEach(([s, k, d], i) => {
      const r = t.neighbours(s, k, d);
      const got: Record<string, number> = {};
      r.ids.forEach((v, j) => (got[String(v)] = r.hops[j]!));
      expect(got).toEqual(nx.neighbours![i]);
      expect(r.total).toBe(r.ids.length);
    });
    pathQ.forEach(([a, b, d], i) => {
      const p = t.path(a, b, d);
      const want = nx.paths![i];
      if (want === null) return expect(p).toBeNull();
      expect(p).not.toBeNull();
      expect(p!.length - 1).toBe(want);
      expect(p![0]).toBe(a);
      expect(p![p!.length - 1]).toBe(b);
      // Every step is an edge in the asked direction.
      const has = (u: number, v: number): boolean => g.src.some((s, j) => s === u && g.dst[j] === v);
      for (let j = 1; j < p!.length; j++) {
        const [u, v] = [p![j - 1]!, p![j]!];
        const ok = d === 'out' ? has(u, v) : d === 'in' ? has(v, u) : has(u, v) || has(v, u);
        expect(ok).toBe(true);
      }
    });
  });

  it('a neighbourhood limit keeps the nearest vertices and reports the full count', () => {
    const g = trickyGraph(300, 2000, 6, { selfLoops: false });
    const t = new Traverser(csr(g));
    const all = t.neighbours(0, 2, 'both');
    const some = t.neighbours(0, 2, 'both', 5);
    expect(some.total).toBe(all.total);
    expect(Array.from(some.ids)).toEqual(Array.from(all.ids.slice(0, 5)));
  });
});
