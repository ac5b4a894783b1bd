import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('testweb')
    .description('(planned) not built yet')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('jarvix testweb: not built yet\n');
      process.exitCode = 2;
    });
}
