import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('status')
    .description('(planned) not built yet')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('jarvix status: not built yet\n');
      process.exitCode = 2;
    });
}
