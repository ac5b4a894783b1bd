import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writeShopWarc } from './fixtures.js';

/** Starts `jarvix serve`, waits for its address line, runs `fn`, then stops it with SIGTERM. */
async function withServe(args: string[], fn: (url: string, line: string, stderr: () => string) => Promise<void>): Promise<number | null> {
  const child = startCli(['serve', '--port', '0', ...args]);
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', () => reject(new Error(`serve exited: ${err}`)));
  });
  try {
    await fn(/(http:\/\/\S+?)\//.exec(line)![1]!, line, () => err);
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('jarvix serve (built CLI)', () => {
  it('indexes a WARC folder on start with progress, reuses the cached index next time, and stops cleanly', async () => {
    const tmp = await tempDir('jarvix-serve-cli-');
    try {
      await writeShopWarc(join(tmp.dir, 'shop.warc'));
      const args = ['--data', tmp.dir, '--warc', tmp.dir];
      const code = await withServe(args, async (url, line, stderr) => {
        expect(line).toContain('9 captures from 1 sources; 1 of 1 files indexed now');
        expect(stderr()).toContain('indexed warc:');
        const r = await fetch(`${url}/cdx?url=shop.example&matchType=host`);
        expect((await r.text()).trim().split('\n')).toHaveLength(9);
      });
      expect(code).toBe(0);
      await withServe(args, async (_url, line) => {
        expect(line).toContain('0 of 1 files indexed now');
      });
    } finally {
      await tmp.cleanup();
    }
  });

  it('refuses a non-loopback host without --allow-remote, a missing run and a missing --warc path', async () => {
    const tmp = await tempDir('jarvix-serve-cli-');
    try {
      const remote = await runCli(['serve', '--data', tmp.dir, '--warc', tmp.dir, '--host', '0.0.0.0']);
      expect(remote.code).toBe(2);
      expect(remote.stderr).toContain('JVX_ERR_SERVE_NOT_LOOPBACK');
      const run = await runCli(['serve', '--data', tmp.dir, '--run', 'nope']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/run:nope.*JVX_ERR_REPLAY_SOURCE/);
      const warc = await runCli(['serve', '--data', tmp.dir, '--warc', join(tmp.dir, 'missing')]);
      expect(warc.code).toBe(2);
      expect(warc.stderr).toContain('JVX_ERR_REPLAY_SOURCE');
      const traversal = await runCli(['serve', '--data', tmp.dir, '--run', '../etc']);
      expect(traversal.code).toBe(2);
      const nothing = await runCli(['serve', '--data', tmp.dir]);
      expect(nothing.code).toBe(2);
    } finally {
      await tmp.cleanup();
    }
  });
});
