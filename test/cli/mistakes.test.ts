import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarcWriter } from '../../src/warc/index.js';
import { BIN, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { makeExchange } from '../warc/make-exchange.js';

// Ordinary mistakes a new user makes, each with a clear message and the documented exit code.
// These spawn the built CLI: `npm run build` first.

let tmp: { dir: string; cleanup: () => Promise<void> };
let warcFile: string;
const data = (): string => join(tmp.dir, 'data');
const runs = async (): Promise<string[]> => readdir(join(data(), 'runs')).catch(() => []);

beforeAll(async () => {
  tmp = await tempDir('jarvix-mistakes-');
  const run = join(data(), 'runs', 'archived');
  const w = await WarcWriter.open({ dir: join(run, 'warc'), indexDir: join(run, 'index'), run: 'archived', worker: 'w' });
  // ~3,000 JSON lines from `warc cat`: several times a pipe's 64 KiB buffer.
  for (let i = 0; i < 800; i++) await w.writeExchange(makeExchange({ url: `http://pipe.test/${i}`, body: `page ${i}` }), { fetchDurationMs: 1, truncated: null });
  await w.close();
  warcFile = join(run, 'warc', (await readdir(join(run, 'warc')))[0]!);
});
afterAll(() => tmp.cleanup());

/** Runs the CLI with stdout on a real pipe whose reader closes it after the first chunk, like `| head -1`. */
function withEarlyClose(args: string[]): Promise<{ code: number | null; stderr: string; received: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let received = 0;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', (d: Buffer) => {
      received = d.length;
      child.stdout.destroy(); // closes our end: the child's next write fails with EPIPE
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, received }));
  });
}

describe('a closed stdout pipe ends quietly with exit 0', () => {
  it('warc cat FILE | head', async () => {
    const r = await withEarlyClose(['warc', 'cat', warcFile]);
    expect(r.received).toBeGreaterThan(0);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('warc index FILE | head', async () => {
    const r = await withEarlyClose(['warc', 'index', warcFile]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('query --format csv | head', async () => {
    const r = await withEarlyClose(['query', '--data', data(), '--run', 'archived', '--format', 'csv', 'SELECT range FROM range(2000000)']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('usage mistakes', () => {
  it('a bad option value prints the error and one line pointing to the help, not the whole help', async () => {
    const r = await runCli(['collect', '--run', 'x', '--data', data(), '--concurrent', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining('--concurrent expects an integer from 1 to 10000, got "abc"'), '(see jarvix collect --help)']);
    const sub = await runCli(['warc', 'cat', '--offset', '-1', warcFile]);
    expect(sub.stderr.trimEnd().split('\n')).toHaveLength(2);
    expect(sub.stderr).toContain('(see jarvix warc cat --help)');
  });

  it('--input naming a missing file: exit 2, and no run folder', async () => {
    const r = await runCli(['collect', '--run', 'typo', '--data', data(), '--input', join(tmp.dir, 'nope.txt'), '--progress', 'none']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/input file not found: .*nope\.txt \[JVX_ERR_INPUT_NOT_FOUND\]/);
    expect(await runs()).not.toContain('typo');
  });

  it('--depth or --scope without --follow: exit 2 saying so, and no run folder', async () => {
    const seeds = join(tmp.dir, 'one.txt');
    await writeFile(seeds, 'http://a.test/\n');
    for (const extra of [['--depth', '2'], ['--scope', 'domain']]) {
      const r = await runCli(['collect', '--run', 'nofollow', '--data', data(), '--input', seeds, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${extra[0]} applies to link following: add --follow`);
      expect(r.stderr).toContain('[JVX_ERR_USAGE_NEEDS_FOLLOW]');
    }
    expect(await runs()).not.toContain('nofollow');
  });

  it('an empty input, or one with no valid URL: a warning and exit 2, not "pages 0" and exit 0', async () => {
    const empty = join(tmp.dir, 'empty.txt');
    await writeFile(empty, '# only a comment\n\n');
    const e = await runCli(['collect', '--run', 'empty', '--data', data(), '--input', empty, '--progress', 'none']);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(`warning: no URL to fetch in ${empty}: it is empty`);
    const bad = join(tmp.dir, 'bad.txt');
    await writeFile(bad, 'not a url\nftp://files.test/x\n');
    const b = await runCli(['collect', '--run', 'bad', '--data', data(), '--input', bad, '--progress', 'none']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('all 2 lines are invalid');
  });

  it('warc get --run of a run that does not exist says "no such run"', async () => {
    const r = await runCli(['warc', 'get', '--run', 'ghost', '--data', data(), 'http://pipe.test/1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no such run ghost: no folder .*runs\/ghost \[JVX_ERR_WARC_RUN_NOT_FOUND\]/);
  });

  it('status with an unreachable --redis names the address, without the password', async () => {
    const r = await runCli(['status', '--run', 'x', '--redis', 'redis://:hunter2@127.0.0.1:1/0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach Redis at redis://:***@127.0.0.1:1/0: connect ECONNREFUSED');
    expect(r.stderr).toContain('[JVX_ERR_FRONTIER_REDIS_UNAVAILABLE]');
    expect(r.stderr).not.toContain('hunter2');
  });
});

describe('jarvix testweb mistakes', () => {
  it('--bind to a non-loopback address is refused', async () => {
    for (const bind of ['0.0.0.0', '::', '192.168.1.10']) {
      const r = await runCli(['testweb', '--bind', bind], { timeoutMs: 20_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--bind expects a loopback address');
    }
  });

  it('--write-seeds into a missing folder fails with a clear error and exits (no server left running)', async () => {
    const r = await runCli(['testweb', '--write-seeds', join(tmp.dir, 'missing', 's.txt')], { timeoutMs: 20_000 });
    expect(r.signal).toBeNull(); // not killed by the timeout: it did not hang
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--write-seeds: cannot write .*missing\/s\.txt: ENOENT.*\[JVX_ERR_USAGE_SEEDS_FILE\]/);
  });
});
