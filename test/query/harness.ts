import { Writable } from 'node:stream';
import { Command } from 'commander';
import { register } from '../../src/cli/commands/query.js';
import type { QueryError } from '../../src/query/index.js';

export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs `jarvix query ...` in-process: the registered command on a fresh program, its output captured. */
export async function jarvixQuery(...args: string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  let code: number | undefined;
  const program = new Command('jarvix').exitOverride();
  register(program, { stdout, stderr, setExitCode: (c) => (code = c) });
  await program.parseAsync(['query', ...args], { from: 'user' });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The rejection of a promise that must reject. */
export async function failure(p: Promise<unknown>): Promise<QueryError> {
  try {
    await p;
  } catch (err) {
    return err as QueryError;
  }
  throw new Error('expected a rejection');
}
