import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBlockedPaths, DEFAULT_BLOCKED_PATHS } from '../../src/policy/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** A loopback site that records every path it was asked for. */
let server: Server;
let origin = '';
const requested: string[] = [];
const PATHS = ['/login', '/admin/users', '/checkout', '/articles/1'];

beforeAll(async () => {
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><title>page</title><body><p>hello</p></body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function collect(dir: string, run: string, extra: string[]): Promise<string[]> {
  requested.length = 0;
  const input = join(dir, `${run}.txt`);
  await writeFile(input, PATHS.map((p) => origin + p).join('\n'));
  const res = await runCli(['collect', '--run', run, '--data', dir, '--input', input, '--allow-private', '--no-robots', '--delay-ms', '0', '--progress', 'none', '--no-extract', ...extra]);
  expect(res.code, res.stderr).toBe(0);
  return [...requested].sort();
}

describe('blocked paths through a real collect', () => {
  it('blocks the account paths by default, lifts them with none, replaces them with a policy file, adds --block-path', async () => {
    const tmp = await tempDir();
    try {
      expect(await collect(tmp.dir, 'default', [])).toEqual(['/articles/1', '/checkout']);
      expect(await collect(tmp.dir, 'none', ['--blocked-paths', 'none'])).toEqual(['/admin/users', '/articles/1', '/checkout', '/login']);
      const file = join(tmp.dir, 'blocked.txt');
      await writeFile(file, '# shop-specific\n/checkout   # no carts\n\n/Admin\n');
      expect(await collect(tmp.dir, 'file', ['--blocked-paths', file, '--block-path', '/articles'])).toEqual(['/login']);
    } finally {
      await tmp.cleanup();
    }
  });

  it('names the offending file or line and requests nothing', async () => {
    const tmp = await tempDir();
    try {
      requested.length = 0;
      const input = join(tmp.dir, 'seeds.txt');
      await writeFile(input, `${origin}/x\n`);
      const missing = await runCli(['collect', '--run', 'r', '--data', tmp.dir, '--input', input, '--allow-private', '--blocked-paths', join(tmp.dir, 'nope.txt')]);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('JVX_ERR_POLICY_BAD_BLOCKED_PATHS_FILE');
      expect(missing.stderr).toContain('nope.txt');
      expect(requested).toEqual([]);
    } finally {
      await tmp.cleanup();
    }
  });
});

describe('resolveBlockedPaths', () => {
  it('reads default, none and files with a default line; rejects what is not a path prefix, naming file and line', async () => {
    const tmp = await tempDir();
    try {
      expect(resolveBlockedPaths(undefined)).toEqual([...DEFAULT_BLOCKED_PATHS]);
      expect(resolveBlockedPaths('none', ['/cart'])).toEqual(['/cart']);
      const file = join(tmp.dir, 'p.txt');
      await writeFile(file, 'default\n/cart\n');
      expect(resolveBlockedPaths(file)).toEqual([...DEFAULT_BLOCKED_PATHS, '/cart']);
      await writeFile(file, '/cart\nwp-admin\n');
      const err = (() => {
        try {
          resolveBlockedPaths(file);
        } catch (e) {
          return e as Error & { code: string };
        }
        return null;
      })();
      expect(err?.code).toBe('JVX_ERR_POLICY_BAD_BLOCKED_PATH');
      expect(err?.message).toContain('p.txt:2');
      expect(err?.message).toContain('"wp-admin"');
      expect(() => resolveBlockedPaths('none', ['/'])).toThrow(/--block-path/);
    } finally {
      await tmp.cleanup();
    }
  });
});
