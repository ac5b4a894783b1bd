import type { Command } from 'commander';
import { register as bench } from './bench.js';
import { register as buildIndex } from './build-index.js';
import { register as collect } from './collect.js';
import { register as curate } from './curate.js';
import { register as graph } from './graph.js';
import { register as query } from './query.js';
import { register as report } from './report.js';
import { register as run } from './run.js';
import { register as score } from './score.js';
import { register as search } from './search.js';
import { register as serve } from './serve.js';
import { register as status } from './status.js';
import { register as testweb } from './testweb.js';
import { register as warc } from './warc.js';

/** One file per command; the order here is the order of `jarvix --help`. */
export function registerCommands(program: Command): void {
  for (const register of [collect, curate, score, report, query, search, buildIndex, graph, warc, serve, bench, testweb, run, status]) register(program);
}
