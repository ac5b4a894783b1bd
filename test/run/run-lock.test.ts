import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lockRun, LOCK_DIR } from '../../src/run/index.js';
import { tempDir } from '../helpers/tmp.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('run lock', () => {
  it('refuses a second exclusive holder, naming the holder, and is free again after release', async () => {
    const tmp = await tempDir();
    try {
      const first = lockRun(tmp.dir, { command: 'collect' });
      let message = '';
      try {
        lockRun(tmp.dir, { command: 'curate' });
      } catch (err) {
        message = (err as Error).message;
        expect((err as { code: string }).code).toBe('JVX_ERR_RUN_BUSY');
      }
      // The holder is this process: liveHolders leaves it out, so the message says the file is gone.
      expect(message).toContain('in use by');
      first.release();
      const again = lockRun(tmp.dir, { command: 'curate' });
      again.release();
    } finally {
      await tmp.cleanup();
    }
  });

  it('lets scale-out workers share the run, one process per worker id, and keeps exclusive takers out', async () => {
    const tmp = await tempDir();
    try {
      const a = lockRun(tmp.dir, { command: 'collect', mode: 'shared', worker: 'a' });
      const b = lockRun(tmp.dir, { command: 'collect', mode: 'shared', worker: 'b' });
      expect(codeOf(() => lockRun(tmp.dir, { command: 'collect', mode: 'shared', worker: 'a' }))).toBe('JVX_ERR_RUN_BUSY');
      expect(codeOf(() => lockRun(tmp.dir, { command: 'curate' }))).toBe('JVX_ERR_RUN_BUSY');
      a.release();
      b.release();
      lockRun(tmp.dir, { command: 'curate' }).release();
    } finally {
      await tmp.cleanup();
    }
  });

  it('names another process holding the lock by pid and host, and takes over once it is killed', async () => {
    const tmp = await tempDir();
    const moduleUrl = new URL('../../src/run/run-lock.ts', import.meta.url).href;
    // A real second process holds the lock (tsx runs the TypeScript source), then dies by SIGKILL.
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(moduleUrl)}).then((m) => { m.lockRun(${JSON.stringify(tmp.dir)}, { command: 'collect' }); console.log('held'); setInterval(() => {}, 1000); })`], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });
    try {
      await once(child.stdout!, 'data');
      let err: { code?: string; message?: string } = {};
      try {
        lockRun(tmp.dir, { command: 'curate' });
      } catch (e) {
        err = e as typeof err;
      }
      expect(err.code).toBe('JVX_ERR_RUN_BUSY');
      expect(err.message).toContain(`pid ${child.pid} on ${hostname()}`);
      expect(err.message).toContain('jarvix collect');
      child.kill('SIGKILL');
      await once(child, 'exit');
      // The OS dropped the dead process's lock; its holder file is stale and is cleared.
      const lock = lockRun(tmp.dir, { command: 'curate' });
      expect((await readdir(join(tmp.dir, LOCK_DIR))).filter((n) => n.startsWith('holder-'))).toEqual([`holder-${hostname().replace(/[^A-Za-z0-9_.-]+/g, '_')}-${process.pid}.json`]);
      lock.release();
    } finally {
      child.kill('SIGKILL');
      await tmp.cleanup();
    }
  });

  it('ignores a stale holder file of a dead process', async () => {
    const tmp = await tempDir();
    try {
      lockRun(tmp.dir, { command: 'collect' }).release();
      await writeFile(join(tmp.dir, LOCK_DIR, `holder-${hostname()}-999999.json`), JSON.stringify({ pid: 999_999, host: hostname(), command: 'collect', mode: 'exclusive', since: 'then' }));
      lockRun(tmp.dir, { command: 'collect' }).release();
    } finally {
      await tmp.cleanup();
    }
  });
});
