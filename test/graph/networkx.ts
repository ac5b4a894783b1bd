import { spawnSync } from 'node:child_process';

/**
 * networkx as the reference: the graph and the questions go to a python3 child as JSON, the
 * answers come back as JSON. Missing networkx skips the tests with a message naming the Debian
 * package, and fails under CI=true (CI installs python3-networkx).
 */
export function networkxAvailable(): boolean {
  const r = spawnSync('python3', ['-c', 'import networkx'], { stdio: 'ignore' });
  const ok = r.status === 0;
  if (!ok && process.env.CI === 'true') throw new Error('python3-networkx is required under CI=true (apt-get install python3-networkx)');
  if (!ok) console.warn('skipping networkx comparisons: python3 with networkx (Debian python3-networkx) not found');
  return ok;
}

export interface NxQuestions {
  n: number;
  edges: [number, number][];
  pagerank?: boolean;
  harmonic?: boolean;
  /** [source, cutoff, direction] → {vertex: distance} */
  neighbours?: [number, number, 'out' | 'in' | 'both'][];
  /** [from, to, direction] → shortest path length or null */
  paths?: [number, number, 'out' | 'in' | 'both'][];
}

export interface NxAnswers {
  pagerank?: number[];
  harmonic?: number[];
  neighbours?: Record<string, number>[];
  paths?: (number | null)[];
}

const SCRIPT = String.raw`
import json, sys
import networkx as nx
def answer(q):
  G = nx.DiGraph()
  G.add_nodes_from(range(q['n']))
  G.add_edges_from([tuple(e) for e in q['edges']])
  out = {}
  if q.get('pagerank'):
      pr = nx.pagerank(G, alpha=0.85, tol=1e-14, max_iter=100000)
      out['pagerank'] = [pr[i] for i in range(q['n'])]
  if q.get('harmonic'):
      h = nx.harmonic_centrality(G)
      out['harmonic'] = [h[i] for i in range(q['n'])]
  views = {'out': G, 'in': G.reverse(copy=False), 'both': G.to_undirected(as_view=True)}
  if q.get('neighbours'):
      res = []
      for s, k, d in q['neighbours']:
          dist = nx.single_source_shortest_path_length(views[d], s, cutoff=k)
          res.append({str(v): l for v, l in dist.items() if v != s})
      out['neighbours'] = res
  if q.get('paths'):
      res = []
      for a, b, d in q['paths']:
          try:
              res.append(nx.shortest_path_length(views[d], a, b))
          except nx.NetworkXNoPath:
              res.append(None)
      out['paths'] = res
  return out

json.dump([answer(q) for q in json.load(sys.stdin)], sys.stdout)
`;

/** One python3 process for every question set (importing networkx costs seconds). */
export function askNetworkx(questions: NxQuestions[]): NxAnswers[] {
  const r = spawnSync('python3', ['-c', SCRIPT], { input: JSON.stringify(questions), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`networkx failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as NxAnswers[];
}

/** A deterministic pseudo-random source (tests must not flake). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

export interface EdgeList {
  n: number;
  src: number[];
  dst: number[];
}

/**
 * A power-law-ish graph with what makes PageRank and centrality tricky: vertices with no
 * out-edge (dangling), self-loops, parallel edges, and parts not connected to the rest.
 */
export function trickyGraph(n: number, m: number, seed: number, o: { selfLoops: boolean }): EdgeList {
  const rnd = lcg(seed);
  const src: number[] = [];
  const dst: number[] = [];
  const main = Math.floor(n * 0.8);
  for (let i = 0; i < m; i++) {
    const a = Math.floor(rnd() * main);
    const b = Math.floor(main * rnd() ** 2);
    // Every tenth vertex of the main part is dangling: its links are dropped.
    if (a % 10 === 3) continue;
    if (a === b && !o.selfLoops) continue;
    src.push(a);
    dst.push(b);
    if (i % 7 === 0) {
      src.push(a);
      dst.push(b);
    }
  }
  if (o.selfLoops) {
    for (let v = 0; v < main; v += 13) {
      src.push(v);
      dst.push(v);
    }
  }
  // The rest: small cycles and chains apart from the main part, and a few isolated vertices.
  for (let v = main; v + 3 < n; v += 4) {
    src.push(v, v + 1, v + 2);
    dst.push(v + 1, v + 2, v % 8 === 0 ? v : v + 1);
  }
  return { n, src, dst };
}

export const pairs = (g: EdgeList): [number, number][] => g.src.map((s, i) => [s, g.dst[i]!]);
