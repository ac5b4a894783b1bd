import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { ExitCode, reportCliError } from './common.js';
import { registerCommands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('jarvix')
    .description('Collect, archive and analyze the web: polite crawling, WARC, Parquet, scores and reports.')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Entry point for bin/jarvix.js. Commands set process.exitCode; errors map to exit codes. */
export async function main(argv: string[]): Promise<void> {
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
