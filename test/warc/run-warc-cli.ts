import { Command } from 'commander';
import { register } from '../../src/cli/commands/warc.js';

/** Runs `jarvix warc …` in-process on a fresh program, capturing stdout and stderr. */
export async function runWarcCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = new Command('jarvix').exitOverride();
  register(program);
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array) => ((stdout += Buffer.from(c).toString('latin1')), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => ((stderr += Buffer.from(c).toString()), true)) as typeof process.stderr.write;
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'jarvix', 'warc', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = before;
  }
}
