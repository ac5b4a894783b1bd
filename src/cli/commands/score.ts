import type { Command } from 'commander';
import { addRunOptions, ExitCode } from '../common.js';
import { processIo, reportCommandError, type RunCommandIo } from './curate.js';

interface ScoreCli {
  run: string;
  data: string;
  profile?: string;
  json?: boolean;
}

/** `jarvix score --run ID [--data DIR] [--profile FILE] [--json]` */
export function register(program: Command, io: RunCommandIo = processIo()): void {
  const cmd = program
    .command('score')
    .description('re-score and rank a run with a scoring profile (JSON or YAML; see docs/scoring.md)')
    .option('--profile <file>', 'scoring profile (default: the built-in profile)')
    .option('--json', 'print the summary as JSON on stdout');
  addRunOptions(cmd).action(async (o: ScoreCli) => {
    try {
      const { loadProfile } = await import('../../score/index.js');
      // The profile is checked before the run is touched: a bad field costs nothing.
      const profile = o.profile === undefined ? undefined : await loadProfile(o.profile);
      const { scoreRun } = await import('../../curate/index.js');
      const s = await scoreRun({ dataDir: o.data, runId: o.run, profile });
      if (o.json) io.stdout.write(`${JSON.stringify(s)}\n`);
      else {
        io.stdout.write(
          `scored ${s.rescored} of ${s.pages} pages of run ${s.run} with profile ${s.profile} in ${(s.durationMs / 1000).toFixed(1)} s: ` +
            `BUY ${s.actions.BUY}, MONITOR ${s.actions.MONITOR}, SKIP ${s.actions.SKIP} (${s.changed} changed)\n`,
        );
      }
      io.setExitCode(ExitCode.ok);
    } catch (err) {
      reportCommandError('score', err, io, ['JVX_ERR_SCORE_PROFILE_INVALID']);
    }
  });
}
