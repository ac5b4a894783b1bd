import { Command, InvalidArgumentError, Option } from 'commander';
import { InvalidOptionError } from '../errors/index.js';
import { parseResolveRule, type ResolveRule } from '../net/index.js';

/** Exit codes (docs/design.md, "Command line"): 0 done, 1 failed, 2 bad usage, 3 finished with some URLs failed. */
export const ExitCode = { ok: 0, failed: 1, usage: 2, partial: 3 } as const;

const RUN_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function parseRunId(value: string): string {
  if (!RUN_ID.test(value)) throw new InvalidArgumentError(`run id ${JSON.stringify(value)} must be 1-128 letters, digits, '-' or '_'`);
  return value;
}

export function parseIntOption(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} expects an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

export function parseNumberOption(name: string, min: number, max = Number.MAX_VALUE) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} expects a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

function collectResolve(value: string, previous: ResolveRule[] = []): ResolveRule[] {
  try {
    return [...previous, parseResolveRule(value)];
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** `--run ID` and `--data DIR`, shared by every command that works on a run. */
export function addRunOptions(cmd: Command, { runRequired = true } = {}): Command {
  const run = new Option('--run <id>', 'run name (letters, digits, - and _)').argParser(parseRunId);
  if (runRequired) run.makeOptionMandatory();
  return cmd.addOption(run).option('--data <dir>', 'data directory holding runs/', './data');
}

export interface NetCliOptions {
  resolve?: ResolveRule[];
  allowPrivate?: boolean;
  userAgent?: string;
  timeoutMs?: number;
}

/** Network options shared by every command that fetches (docs/design.md, "Command line"). */
export function addNetOptions(cmd: Command): Command {
  return cmd
    .option('--resolve <pattern:addr>', "send hosts matching PATTERN to ADDR[:PORT], e.g. '*.test:127.0.0.1:8080' (repeatable)", collectResolve)
    .option('--allow-private', 'allow private, loopback and link-local addresses (off: SSRF guard)')
    .option('--user-agent <ua>', 'User-Agent header sent with every request')
    .option('--timeout-ms <ms>', 'timeout for connect, headers and body inactivity', parseIntOption('--timeout-ms', 1, 3_600_000));
}

/** Turns a thrown error into a message on stderr and an exit code; usage errors exit 2. */
export function reportCliError(err: unknown): number {
  if (err instanceof InvalidOptionError) {
    process.stderr.write(`jarvix: ${err.message}\n`);
    return ExitCode.usage;
  }
  const code = err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`jarvix: ${message}${code ? ` [${code}]` : ''}\n`);
  if (process.env.JARVIX_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  // A missing --input file is a usage mistake, caught before the run folder is created.
  return code?.startsWith('JVX_ERR_USAGE') || code === 'JVX_ERR_INPUT_NOT_FOUND' ? ExitCode.usage : ExitCode.failed;
}
