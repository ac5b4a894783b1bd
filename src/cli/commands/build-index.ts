import type { Command } from 'commander';
import { runPaths } from '../../run/run-paths.js';
import { addRunOptions, ExitCode } from '../common.js';
import { processIo, reportCommandError, type RunCommandIo } from './curate.js';

interface IndexCli {
  run: string;
  data: string;
  json?: boolean;
}

/** `jarvix index --run ID [--json]`: builds the search index again from the run's shards. */
export function register(program: Command, io: RunCommandIo = processIo()): void {
  const cmd = program
    .command('index')
    .description("build a run's search index from its pages and chunks (runs collected with --no-extract, then curated, or by an older jarvix)")
    .option('--json', 'print the summary as JSON');
  addRunOptions(cmd).action(async (o: IndexCli) => {
    try {
      const { rebuildRunIndex } = await import('../../search/index.js');
      const r = await rebuildRunIndex(runPaths(o.data, o.run).root);
      if (o.json) io.stdout.write(`${JSON.stringify({ run: o.run, ...r })}\n`);
      else io.stdout.write(`indexed ${r.pages} pages of run ${o.run} in ${r.files} index file(s), ${(r.durationMs / 1000).toFixed(1)} s${r.linkRank ? ', with link rank from the graph' : ''}\n`);
      io.setExitCode(ExitCode.ok);
    } catch (err) {
      reportCommandError('index', err, io);
    }
  });
}
