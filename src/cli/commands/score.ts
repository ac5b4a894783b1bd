import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('score')
    .description('(planned) not built yet')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('jarvix score: not built yet\n');
      process.exitCode = 2;
    });
}
