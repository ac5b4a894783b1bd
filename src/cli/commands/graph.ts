import { Option, type Command } from 'commander';
import { runPaths } from '../../run/run-paths.js';
import { ExitCode, addRunOptions, parseIntOption, parseNumberOption, parseRunId } from '../common.js';
import { processIo, reportCommandError, type RunCommandIo } from './curate.js';

interface GraphCli {
  run: string[];
  data: string;
  level: 'page' | 'host' | 'domain';
  format: 'parquet' | 'cc' | 'all';
  tolerance: number;
  exactMax: number;
  log2m: number;
  quiet?: boolean;
  json?: boolean;
}

interface TraverseCli {
  run: string;
  data: string;
  level?: 'page' | 'host' | 'domain';
  hops: number;
  direction: 'out' | 'in' | 'both';
  limit: number;
  json?: boolean;
}

const USAGE_CODES = ['JVX_ERR_GRAPH_UNKNOWN_NODE', 'JVX_ERR_GRAPH_NOT_BUILT', 'JVX_ERR_GRAPH_RUN_NOT_FOUND', 'JVX_ERR_GRAPH_NO_LINKS'];

const collectRun = (value: string, previous: string[] = []): string[] => [...previous, parseRunId(value)];

/**
 * `jarvix graph --run ID [--run ID2…] [--level page|host|domain] [--format parquet|cc|all]`, and
 * the traversals `jarvix graph neighbours` and `jarvix graph path` over what it built.
 */
export function register(program: Command, io: RunCommandIo = processIo()): void {
  // `graph` has options of its own (--run) and subcommands with the same names: options must bind
  // to the command they follow, which commander does only when every ancestor parses positionally
  // (the root has no options besides --help and --version, so nothing else changes).
  program.enablePositionalOptions();
  const graph = program
    .command('graph')
    .description("link graph of a run: PageRank, harmonic centrality, Parquet or Common Crawl files; traversals (see docs/graph.md)")
    .enablePositionalOptions()
    .addOption(new Option('--run <id>', 'run to graph (repeat to graph several runs together; output goes to the first)').argParser(collectRun))
    .option('--data <dir>', 'data directory holding runs/', './data')
    .addOption(new Option('--level <level>', 'vertices: pages, hosts or registered domains').choices(['page', 'host', 'domain']).default('page'))
    .addOption(new Option('--format <format>', 'Parquet tables, Common Crawl text files, or both').choices(['parquet', 'cc', 'all']).default('parquet'))
    .option('--tolerance <x>', 'PageRank stops when the L1 change is below x × vertices', parseNumberOption('--tolerance', Number.MIN_VALUE, 1), 1e-9)
    .option('--exact-max <n>', 'exact harmonic centrality up to n vertices, HyperBall beyond', parseIntOption('--exact-max', 0, 2 ** 30), 10_000)
    .option('--log2m <b>', 'HyperBall registers per vertex: 2^b (error 1.04/√2^b)', parseIntOption('--log2m', 4, 10), 7)
    .option('--quiet', 'no progress lines on stderr')
    .option('--json', 'print the manifest as JSON on stdout')
    .action(async (o: GraphCli) => {
      try {
        if (!o.run || o.run.length === 0) throw new (await import('../../errors/index.js')).InvalidOptionError('--run', 'at least one run id', undefined);
        const { buildGraph } = await import('../../graph/index.js');
        const m = await buildGraph({
          runDirs: o.run.map((id) => runPaths(o.data, id).root),
          level: o.level,
          formats: o.format === 'all' ? ['parquet', 'cc'] : [o.format],
          tolerance: o.tolerance,
          harmonicExactMaxVertices: o.exactMax,
          hyperBallLog2m: o.log2m,
          onProgress: o.quiet ? null : (line) => io.stderr.write(`jarvix graph: ${line}\n`),
        });
        if (o.json) io.stdout.write(`${JSON.stringify(m)}\n`);
        else {
          const h = m.harmonic.method === 'exact' ? 'exact' : `HyperBall, ±${(m.harmonic.relativeError * 100).toFixed(1)}%`;
          io.stdout.write(
            `${m.level} graph of ${m.runs.join(', ')}: ${m.vertices} vertices, ${m.edges} edges; ` +
              `pagerank ${m.pagerank.iterations} iterations (L1 change ${m.pagerank.delta.toExponential(2)}), harmonic ${h}\n` +
              m.files.map((f) => `  ${f}\n`).join(''),
          );
        }
        io.setExitCode(ExitCode.ok);
      } catch (err) {
        reportCommandError('graph', err, io, ['JVX_ERR_GRAPH_RUN_NOT_FOUND', 'JVX_ERR_GRAPH_NO_LINKS']);
      }
    });

  const traverseOptions = (cmd: Command): Command =>
    addRunOptions(cmd)
      .addOption(new Option('--level <level>', 'graph to walk (default: page for a URL, host otherwise)').choices(['page', 'host', 'domain']))
      .addOption(new Option('--direction <dir>', 'follow links out, in (who links here), or both').choices(['out', 'in', 'both']).default('out'))
      .option('--json', 'print JSON on stdout');

  traverseOptions(graph.command('neighbours').description('vertices within K links of a URL or host').argument('<node>', 'URL (page graph) or host name'))
    .option('--hops <k>', 'distance', parseIntOption('--hops', 1, 6), 1)
    .option('--limit <n>', 'at most n vertices listed', parseIntOption('--limit', 1, 1_000_000), 1000)
    .action(async (node: string, o: TraverseCli) => {
      try {
        const { loadGraph, neighboursJson, inferLevel } = await import('../../graph/index.js');
        const g = await loadGraph(runPaths(o.data, o.run).root, o.level ?? inferLevel(node));
        const r = neighboursJson(g, node, o.hops, o.direction, o.limit);
        if (o.json) io.stdout.write(`${JSON.stringify(r)}\n`);
        else {
          io.stdout.write(`${r.total} vertices within ${r.hops} ${r.hops === 1 ? 'link' : 'links'} (${r.direction}) of ${r.start.name}${r.truncated ? `, first ${r.neighbours.length}` : ''}:\n`);
          for (const v of r.neighbours) io.stdout.write(`${v.hops}\t${v.pagerank.toExponential(3)}\t${v.name}\n`);
        }
        io.setExitCode(ExitCode.ok);
      } catch (err) {
        reportCommandError('graph neighbours', err, io, USAGE_CODES);
      }
    });

  traverseOptions(graph.command('path').description('a shortest path of links from A to B').argument('<from>', 'URL or host').argument('<to>', 'URL or host')).action(
    async (from: string, to: string, o: TraverseCli) => {
      try {
        const { loadGraph, pathJson, inferLevel } = await import('../../graph/index.js');
        const g = await loadGraph(runPaths(o.data, o.run).root, o.level ?? inferLevel(from));
        const r = pathJson(g, from, to, o.direction);
        if (o.json) io.stdout.write(`${JSON.stringify(r)}\n`);
        else if (r.length === null) io.stdout.write(`no path from ${r.from.name} to ${r.to.name} (${r.direction})\n`);
        else io.stdout.write(`${r.length} ${r.length === 1 ? 'link' : 'links'}:\n${r.path.map((v) => `  ${v.name}\n`).join('')}`);
        // No path is an answer, not a failure; scripts read `length: null` from --json.
        io.setExitCode(ExitCode.ok);
      } catch (err) {
        reportCommandError('graph path', err, io, USAGE_CODES);
      }
    },
  );
}
