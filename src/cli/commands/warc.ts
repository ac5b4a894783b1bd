import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('warc')
    .description('(planned) not built yet')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('jarvix warc: not built yet\n');
      process.exitCode = 2;
    });
}
