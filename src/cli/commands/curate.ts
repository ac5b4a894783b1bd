import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { InvalidOptionError } from '../../errors/index.js';
import { addRunOptions, ExitCode, parseIntOption } from '../common.js';

/** Where a command writes and puts its exit code; tests pass their own to run it in-process. */
export interface RunCommandIo {
  stdout: Writable;
  stderr: Writable;
  setExitCode: (code: number) => void;
}

export const processIo = (): RunCommandIo => ({ stdout: process.stdout, stderr: process.stderr, setExitCode: (code) => (process.exitCode = code) });

/** `jarvix <command>: message [CODE]` on stderr; bad usage (options, profiles) exits 2, the rest 1. */
export function reportCommandError(command: string, err: unknown, io: RunCommandIo, usageCodes: readonly string[] = []): void {
  const code = err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`jarvix ${command}: ${message}${code ? ` [${code}]` : ''}\n`);
  if (process.env.JARVIX_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  const usage = err instanceof InvalidOptionError || (code !== undefined && (code.startsWith('JVX_ERR_USAGE') || usageCodes.includes(code)));
  io.setExitCode(usage ? ExitCode.usage : ExitCode.failed);
}

interface CurateCli {
  run: string;
  data: string;
  threads?: number;
  json?: boolean;
}

/** `jarvix curate --run ID [--data DIR] [--threads N] [--json]` */
export function register(program: Command, io: RunCommandIo = processIo()): void {
  const cmd = program
    .command('curate')
    .description("re-derive extraction, links, chunks and scores from the run's WARCs, without fetching")
    .option('--threads <n>', 'worker threads for extraction (default: CPUs - 1)', parseIntOption('--threads', 1, 256))
    .option('--json', 'print the summary as JSON on stdout');
  addRunOptions(cmd).action(async (o: CurateCli) => {
    try {
      // Loaded on use: `jarvix --help` should not pay for the stages and the dataset writer.
      const { curateRun } = await import('../../curate/index.js');
      const s = await curateRun({ dataDir: o.data, runId: o.run, threads: o.threads });
      if (o.json) io.stdout.write(`${JSON.stringify(s)}\n`);
      else {
        io.stdout.write(
          `curated ${s.pages} pages of run ${s.run} in ${(s.durationMs / 1000).toFixed(1)} s: ${s.derived} derived, ${s.kept} kept, ` +
            `${s.deadLetters} dead letters, ${s.unreadable} unreadable; ${s.links} links, ${s.chunks} chunks, ${s.errors} errors\n`,
        );
      }
      if (s.settled !== 'none') io.stderr.write(`jarvix curate: an interrupted curate/score was ${s.settled === 'rolled-forward' ? 'completed' : 'rolled back'} first\n`);
      if (s.unreadable > 0) {
        io.stderr.write(
          `jarvix curate: ${s.unreadable} page(s) point at WARC records that cannot be read back (truncated or missing archive): ` +
            `\`jarvix check --run ${s.run}\` lists them, \`jarvix collect --run ${s.run} --repair\` fetches them again, then curate again\n`,
        );
      }
      // Pages whose archive could not be read back lost their derived columns: finished, not all well.
      io.setExitCode(s.unreadable > 0 ? ExitCode.partial : ExitCode.ok);
    } catch (err) {
      reportCommandError('curate', err, io);
    }
  });
}
