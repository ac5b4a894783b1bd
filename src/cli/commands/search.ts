import type { Command } from 'commander';
import { Option } from 'commander';
import { runPaths } from '../../run/run-paths.js';
import { addRunOptions, ExitCode, parseIntOption } from '../common.js';
import { processIo, reportCommandError, type RunCommandIo } from './curate.js';

interface SearchCli {
  run: string;
  data: string;
  limit: number;
  offset: number;
  host?: string;
  action?: 'BUY' | 'MONITOR' | 'SKIP';
  from?: string;
  to?: string;
  json?: boolean;
}

/** Query errors are the user's to fix: exit 2, like bad options. */
const USAGE_CODES = ['JVX_ERR_SEARCH_QUERY_INVALID', 'JVX_ERR_SEARCH_QUERY_EMPTY', 'JVX_ERR_SEARCH_QUERY_TOO_LONG'];

/** `jarvix search --run ID "query" [--limit N] [--offset N] [--host H] [--action A] [--from T --to T] [--json]` */
export function register(program: Command, io: RunCommandIo = processIo()): void {
  const cmd = program
    .command('search')
    .description("full-text search over a run's pages (query language: docs/search.md)")
    .argument('<query>', 'words (all must match), "exact phrase", -exclude, a OR b, site:host, prefix*')
    .option('--limit <n>', 'results to show', parseIntOption('--limit', 1, 100), 10)
    .option('--offset <n>', 'results to skip (paging)', parseIntOption('--offset', 0, 1000), 0)
    .option('--host <host>', 'only pages of this host or its subdomains')
    .addOption(new Option('--action <action>', 'only pages with this action').choices(['BUY', 'MONITOR', 'SKIP']))
    .option('--from <time>', 'captured at or after (ISO 8601, UTC when no zone)')
    .option('--to <time>', 'captured before (ISO 8601)')
    .option('--json', 'print the response as JSON')
    .addHelpText('after', '\nExamples:\n  jarvix search --run shop "espresso machine" --limit 5\n  jarvix search --run shop \'"free shipping" -refurbished site:example.com\' --action BUY --json\n');
  addRunOptions(cmd).action(async (query: string, o: SearchCli) => {
    try {
      const { searchRun } = await import('../../search/index.js');
      const r = searchRun(runPaths(o.data, o.run).root, query, { limit: o.limit, offset: o.offset, host: o.host, action: o.action, from: o.from, to: o.to });
      if (o.json) io.stdout.write(`${JSON.stringify(r)}\n`);
      else {
        const total = `${r.total}${r.totalExact ? '' : '+'}`;
        io.stdout.write(`${total} pages match ${JSON.stringify(query)} (${r.tookMs} ms)${r.results.length === 0 ? '' : `; results ${r.offset + 1}-${r.offset + r.results.length}`}\n`);
        for (const h of r.results) {
          let snippet = '';
          let pos = 0;
          for (const [a, b] of h.marks) {
            snippet += `${h.snippet.slice(pos, a)}«${h.snippet.slice(a, b)}»`;
            pos = b;
          }
          snippet += h.snippet.slice(pos);
          io.stdout.write(`\n${h.title ?? '(no title)'}\n  ${h.url}\n  captured ${h.captureTime ?? '?'}  score ${h.score ?? '-'}  ${h.action ?? ''}  replay ${h.replay ?? '-'}\n  ${snippet}\n`);
        }
      }
      io.setExitCode(ExitCode.ok);
    } catch (err) {
      reportCommandError('search', err, io, USAGE_CODES);
    }
  });
}
