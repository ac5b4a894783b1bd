import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('bench')
    .description('(planned) not built yet')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('jarvix bench: not built yet\n');
      process.exitCode = 2;
    });
}
