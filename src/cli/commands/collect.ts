import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('collect')
    .description('(planned) not built yet')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('jarvix collect: not built yet\n');
      process.exitCode = 2;
    });
}
