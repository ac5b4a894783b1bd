import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { findVertex, vertexName } from './builder.js';
import { GraphNotBuiltError, GraphUnknownNodeError } from './errors.js';
import { readGraphFile, type StoredGraph } from './graph-file.js';
import { GRAPH_FILE, levelDir } from './build-graph.js';
import { reverseHost, vertexKey, type GraphLevel } from './levels.js';
import { Traverser, type Direction } from './traverse.js';

export interface LoadedGraph {
  readonly runId: string;
  readonly level: GraphLevel;
  readonly stored: StoredGraph;
  readonly traverser: Traverser;
}

const cache = new Map<string, { mtimeMs: number; loaded: LoadedGraph }>();

/**
 * The graph file of a run at a level, loaded once and kept while the file is unchanged (a server
 * answering many queries reads it once; a rebuild is picked up by its new mtime). One graph per
 * level and run is kept.
 */
export async function loadGraph(runDir: string, level: GraphLevel): Promise<LoadedGraph> {
  const path = join(levelDir(runDir, level), GRAPH_FILE);
  const runId = basename(runDir);
  const st = await stat(path).catch(() => null);
  if (!st) throw new GraphNotBuiltError(path, level, runId);
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === st.mtimeMs) return hit.loaded;
  const stored = await readGraphFile(path);
  const loaded: LoadedGraph = { runId, level, stored, traverser: new Traverser(stored.graph) };
  cache.set(path, { mtimeMs: st.mtimeMs, loaded });
  return loaded;
}

/** A URL at page level; a host (`www.example.com`), URL or reversed name at host/domain level. */
export function resolveVertex(g: LoadedGraph, input: string): number {
  const candidates: string[] = [];
  const isUrl = /^https?:\/\//i.test(input);
  if (g.level === 'page') {
    const key = isUrl ? vertexKey('page', input) : vertexKey('page', `http://${input}/`);
    if (key !== null) candidates.push(key);
    if (isUrl && !/^https?:\/\/[^/]+\//i.test(input)) candidates.push(`${input}/`);
  } else {
    const key = vertexKey(g.level, isUrl ? input : `http://${input}/`);
    if (key !== null) candidates.push(key);
    // Already reversed (com.example.www) as the vertices table shows it.
    candidates.push(input.toLowerCase());
    if (!isUrl) candidates.push(reverseHost(input.toLowerCase()));
  }
  for (const c of candidates) {
    const id = findVertex(g.stored.names, c);
    if (id !== -1) return id;
  }
  throw new GraphUnknownNodeError(input, g.level);
}

export interface VertexJson {
  id: number;
  name: string;
  hops?: number;
  pagerank: number;
  harmonic: number;
  in_degree: number;
  out_degree: number;
}

export function vertexJson(g: LoadedGraph, id: number, hops?: number): VertexJson {
  const s = g.stored;
  return {
    id,
    name: vertexName(s.names, id),
    ...(hops === undefined ? {} : { hops }),
    pagerank: s.pagerank[id]!,
    harmonic: s.harmonic[id]!,
    in_degree: s.graph.inOffsets[id + 1]! - s.graph.inOffsets[id]!,
    out_degree: s.graph.outOffsets[id + 1]! - s.graph.outOffsets[id]!,
  };
}

export interface NeighboursJson {
  run: string;
  level: GraphLevel;
  direction: Direction;
  hops: number;
  start: VertexJson;
  /** Vertices within `hops`, nearest first; at most `limit`. */
  neighbours: VertexJson[];
  total: number;
  truncated: boolean;
}

export function neighboursJson(g: LoadedGraph, input: string, hops: number, direction: Direction, limit: number): NeighboursJson {
  const start = resolveVertex(g, input);
  const n = g.traverser.neighbours(start, hops, direction, limit);
  const neighbours: VertexJson[] = [];
  for (let i = 0; i < n.ids.length; i++) neighbours.push(vertexJson(g, n.ids[i]!, n.hops[i]!));
  return { run: g.runId, level: g.level, direction, hops, start: vertexJson(g, start), neighbours, total: n.total, truncated: n.total > neighbours.length };
}

export interface PathJson {
  run: string;
  level: GraphLevel;
  direction: Direction;
  from: VertexJson;
  to: VertexJson;
  /** Links followed; null when `to` cannot be reached from `from`. */
  length: number | null;
  path: VertexJson[];
}

export function pathJson(g: LoadedGraph, fromInput: string, toInput: string, direction: Direction): PathJson {
  const from = resolveVertex(g, fromInput);
  const to = resolveVertex(g, toInput);
  const p = g.traverser.path(from, to, direction);
  return {
    run: g.runId,
    level: g.level,
    direction,
    from: vertexJson(g, from),
    to: vertexJson(g, to),
    length: p === null ? null : p.length - 1,
    path: p === null ? [] : Array.from(p, (id) => vertexJson(g, id)),
  };
}
