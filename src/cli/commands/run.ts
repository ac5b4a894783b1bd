import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('run')
    .description('(planned) not built yet')
    .allowUnknownOption()
    .action(() => {
      process.stderr.write('jarvix run: not built yet\n');
      process.exitCode = 2;
    });
}
