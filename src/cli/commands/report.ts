import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('report')
    .description('(planned) not built yet')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('jarvix report: not built yet\n');
      process.exitCode = 2;
    });
}
