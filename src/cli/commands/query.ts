import type { Writable } from 'node:stream';
import { Option, type Command } from 'commander';
import { InvalidOptionError } from '../../errors/index.js';
import { runPaths } from '../../run/run-paths.js';
import { ExitCode, addRunOptions, parseIntOption } from '../common.js';

export interface QueryCliIo {
  stdout: Writable;
  stderr: Writable;
  /** Where the exit code goes; the CLI sets process.exitCode. */
  setExitCode: (code: number) => void;
}

const processIo = (): QueryCliIo => ({ stdout: process.stdout, stderr: process.stderr, setExitCode: (code) => (process.exitCode = code) });

interface QueryCliOptions {
  run: string;
  data: string;
  format: 'table' | 'csv' | 'json' | 'parquet';
  output?: string;
  maxWidth: number;
  safe?: boolean;
}

/** `jarvix query --run ID "SQL"`; `io` lets tests run it in-process and read what it printed. */
export function register(program: Command, io: QueryCliIo = processIo()): void {
  const cmd = program
    .command('query')
    .description("SQL over a run's Parquet dataset with DuckDB: views pages, links, chunks, errors")
    .argument('<sql>', 'the query (several statements: the last one is shown)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json', 'parquet']).default('table'))
    .option('-o, --output <file>', 'write to this file instead of stdout (needed for parquet)')
    .option('--safe', "only SELECT over the run's tables: no other file, no ATTACH, INSTALL, LOAD, COPY or SET")
    .option('--max-width <chars>', 'column width cap of the table format', parseIntOption('--max-width', 4, 10_000), 40)
    .addHelpText('after', '\nExamples:\n  jarvix query --run shop "SELECT fetch_status, count(*) FROM pages GROUP BY 1 ORDER BY 2 DESC"\n  jarvix query --run shop --format parquet -o top.parquet "SELECT * FROM pages ORDER BY score DESC LIMIT 1000"\n');
  addRunOptions(cmd).action(async (sql: string, o: QueryCliOptions) => {
    try {
      // DuckDB is loaded only when a query runs, so `jarvix --help` stays fast.
      const { runQueryCommand } = await import('../../query/query-command.js');
      await runQueryCommand({ runDir: runPaths(o.data, o.run).root, sql, format: o.format, output: o.output, maxColumnWidth: o.maxWidth, safe: o.safe }, io);
      io.setExitCode(ExitCode.ok);
    } catch (err) {
      io.setExitCode(report(err, io.stderr));
    }
  });
}

/** reportCliError's format (`jarvix: message [CODE]`) on the given stream: usage errors exit 2, the rest 1. */
function report(err: unknown, stderr: Writable): number {
  const code = err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  stderr.write(`jarvix query: ${message}${code ? ` [${code}]` : ''}\n`);
  if (process.env.JARVIX_DEBUG && err instanceof Error && err.stack) stderr.write(`${err.stack}\n`);
  const usage = err instanceof InvalidOptionError || code === 'JVX_ERR_QUERY_EMPTY' || code?.startsWith('JVX_ERR_USAGE');
  return usage ? ExitCode.usage : ExitCode.failed;
}
