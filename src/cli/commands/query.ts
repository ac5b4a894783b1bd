import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('query')
    .description('(planned) not built yet')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('jarvix query: not built yet\n');
      process.exitCode = 2;
    });
}
