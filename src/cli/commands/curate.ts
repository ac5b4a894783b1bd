import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('curate')
    .description('(planned) not built yet')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('jarvix curate: not built yet\n');
      process.exitCode = 2;
    });
}
