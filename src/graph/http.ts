import { join, resolve } from 'node:path';
import { JarvixError } from '../errors/index.js';
import { GraphBadRequestError } from './errors.js';
import { GRAPH_LEVELS, type GraphLevel } from './levels.js';
import { DIRECTIONS } from './traverse.js';
import { loadGraph, neighboursJson, pathJson } from './traversal-api.js';

export type GraphRoute = 'neighbours' | 'path';

export interface GraphHttpResponse {
  status: number;
  body: unknown;
}

const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_HOPS = 6;
const MAX_LIMIT = 100_000;

/**
 * The graph endpoints for `jarvix serve`, without a server: the caller mounts them (e.g.
 * `GET /graph/neighbours?run=ID&node=URL&hops=2&direction=out&limit=100` and
 * `GET /graph/path?run=ID&from=A&to=B`) and sends `body` as JSON with `status`. Bad parameters are
 * 400, an unknown run, graph or vertex 404, each with `{ error: { code, message } }`.
 */
export async function handleGraphRequest(route: GraphRoute, params: URLSearchParams, o: { dataDir: string }): Promise<GraphHttpResponse> {
  try {
    const run = required(params, 'run');
    if (!RUN_ID.test(run)) throw new GraphBadRequestError('run', "1-128 letters, digits, '-' or '_'", run);
    const direction = oneOf(params, 'direction', DIRECTIONS, 'out');
    if (route === 'neighbours') {
      const node = required(params, 'node');
      const level = oneOf(params, 'level', GRAPH_LEVELS, inferLevel(node));
      const hops = int(params, 'hops', 1, MAX_HOPS, 1);
      const limit = int(params, 'limit', 1, MAX_LIMIT, 1000);
      const g = await loadGraph(join(resolve(o.dataDir), 'runs', run), level);
      return { status: 200, body: neighboursJson(g, node, hops, direction, limit) };
    }
    const from = required(params, 'from');
    const to = required(params, 'to');
    const level = oneOf(params, 'level', GRAPH_LEVELS, inferLevel(from));
    const g = await loadGraph(join(resolve(o.dataDir), 'runs', run), level);
    return { status: 200, body: pathJson(g, from, to, direction) };
  } catch (err) {
    if (!(err instanceof JarvixError)) throw err;
    const status = err.code === 'JVX_ERR_GRAPH_BAD_REQUEST' || err.code === 'JVX_ERR_OPTION_INVALID' ? 400 : err.code === 'JVX_ERR_GRAPH_FILE_CORRUPT' ? 500 : 404;
    return { status, body: { error: { code: err.code, message: err.message } } };
  }
}

/** A URL means the page graph, anything else a host. */
export function inferLevel(node: string): GraphLevel {
  return /^https?:\/\//i.test(node) ? 'page' : 'host';
}

function required(p: URLSearchParams, name: string): string {
  const v = p.get(name);
  if (v === null || v.trim() === '') throw new GraphBadRequestError(name, 'a value', v);
  return v.trim();
}

function oneOf<V extends string>(p: URLSearchParams, name: string, values: readonly V[], fallback: V): V {
  const v = p.get(name);
  if (v === null || v === '') return fallback;
  if (!(values as readonly string[]).includes(v)) throw new GraphBadRequestError(name, `one of ${values.join(', ')}`, v);
  return v as V;
}

function int(p: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const v = p.get(name);
  if (v === null || v === '') return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw new GraphBadRequestError(name, `an integer ${min}..${max}`, v);
  return n;
}
