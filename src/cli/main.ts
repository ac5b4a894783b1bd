import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { ExitCode, reportCliError } from './common.js';
import { registerCommands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('jarvix')
    .description('Collect, archive and analyze the web: polite crawling, WARC, Parquet, scores and reports.')
    .version(VERSION)
    .exitOverride();
  registerCommands(program);
  pointToHelp(program, 'jarvix');
  return program;
}

/**
 * After a usage error commander would print the whole help (60 lines for collect) and bury the
 * error: print one line pointing to the right help instead, on every command and subcommand.
 */
function pointToHelp(cmd: Command, path: string): void {
  cmd.showHelpAfterError(`(see ${path} --help)`);
  for (const sub of cmd.commands) pointToHelp(sub, `${path} ${sub.name()}`);
}

/**
 * A reader that leaves early (`jarvix warc cat f | head`) makes the next write to stdout fail with
 * EPIPE. That is an ordinary end, not an error: without this listener Node would crash with
 * "write EPIPE". The stream is destroyed, and the commands' writers (query/output/sink.ts) stop.
 */
function quietOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

/** Entry point for bin/jarvix.js. Commands set process.exitCode; errors map to exit codes. */
export async function main(argv: string[]): Promise<void> {
  quietOnClosedStdout();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      return;
    }
    process.exitCode = reportCliError(err);
  }
}
