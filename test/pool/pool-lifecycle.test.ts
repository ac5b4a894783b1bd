import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutoscaledPool } from '../../src/pool/index.js';
import { steeredSource, taskMeter } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A queue of numbered jobs; tasks may add more. */
function jobQueue(count: number) {
  const queue = Array.from({ length: count }, (_, i) => i);
  const doneJobs: number[] = [];
  return { queue, doneJobs };
}

describe('AutoscaledPool: lifecycle', () => {
  it('runs every ready task once and resolves when isFinished says so with nothing running', async () => {
    const { queue, doneJobs } = jobQueue(50);
    const finishedCalls: number[] = [];
    let running = 0;
    const { source } = steeredSource();
    const pool = new AutoscaledPool({
      minConcurrency: 3,
      maxConcurrency: 10,
      isTaskReady: async () => queue.length > 0,
      runTask: async () => {
        const job = queue.shift()!;
        running++;
        await new Promise((r) => setTimeout(r, 10 + (job % 7) * 5));
        // a task can discover more work: the pool must not finish while one runs
        if (job === 49) queue.push(100, 101);
        doneJobs.push(job);
        running--;
      },
      isFinished: async () => {
        finishedCalls.push(running);
        return queue.length === 0;
      },
      sampleSource: source,
    });
    let resolved = false;
    const done = pool.run().then(() => {
      resolved = true;
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(resolved).toBe(true);
    await done;
    expect([...doneJobs].sort((a, b) => a - b)).toEqual([...Array.from({ length: 50 }, (_, i) => i), 100, 101]);
    expect(finishedCalls.every((r) => r === 0)).toBe(true);
    expect(pool.concurrency).toBe(0);
  });

  it('waits for work that becomes ready later instead of finishing early', async () => {
    const { source } = steeredSource();
    const readyAt = Date.now() + 1_000;
    let ran = 0;
    const pool = new AutoscaledPool({
      minConcurrency: 1,
      maxConcurrency: 4,
      isTaskReady: async () => ran === 0 && Date.now() >= readyAt,
      runTask: async () => {
        ran++;
      },
      isFinished: async () => ran > 0,
      sampleSource: source,
    });
    let resolved = false;
    const done = pool.run().then(() => {
      resolved = true;
    });
    await vi.advanceTimersByTimeAsync(900);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(300);
    expect(resolved).toBe(true);
    await done;
    expect(ran).toBe(1);
  });

  it('abort: no new task starts, run() and abort() resolve once the running tasks end', async () => {
    const { source } = steeredSource();
    const meter = taskMeter(1_000);
    const pool = new AutoscaledPool({ minConcurrency: 4, maxConcurrency: 4, isTaskReady: async () => true, runTask: meter.runTask, isFinished: async () => false, sampleSource: source });
    let runResolved = false;
    let abortResolved = false;
    const done = pool.run().then(() => {
      runResolved = true;
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(meter.running()).toBe(4);
    const aborting = pool.abort().then(() => {
      abortResolved = true;
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(runResolved).toBe(false);
    expect(abortResolved).toBe(false);
    await vi.advanceTimersByTimeAsync(600);
    expect(runResolved).toBe(true);
    expect(abortResolved).toBe(true);
    await Promise.all([done, aborting]);
    expect(meter.started()).toBe(4);
    expect(meter.running()).toBe(0);
  });

  it('abort before run: run() resolves at once without starting anything', async () => {
    const { source } = steeredSource();
    const meter = taskMeter(10);
    const pool = new AutoscaledPool({ minConcurrency: 1, maxConcurrency: 1, isTaskReady: async () => true, runTask: meter.runTask, isFinished: async () => false, sampleSource: source });
    await pool.abort();
    await pool.run();
    expect(meter.started()).toBe(0);
    await expect(pool.run()).rejects.toMatchObject({ code: 'JVX_ERR_POOL_ALREADY_STARTED' });
  });

  it('task errors reach onTaskError and the pool carries on', async () => {
    const { queue } = jobQueue(20);
    const errors: unknown[] = [];
    let ok = 0;
    const { source } = steeredSource();
    const pool = new AutoscaledPool({
      minConcurrency: 2,
      maxConcurrency: 5,
      isTaskReady: async () => queue.length > 0,
      runTask: async () => {
        const job = queue.shift()!;
        await new Promise((r) => setTimeout(r, 5));
        if (job % 4 === 0) throw new Error(`job ${job} failed`);
        ok++;
      },
      isFinished: async () => queue.length === 0,
      onTaskError: (err) => errors.push(err),
      sampleSource: source,
    });
    const done = pool.run();
    await vi.advanceTimersByTimeAsync(5_000);
    await done;
    expect(errors.map((e) => (e as Error).message)).toEqual(['job 0 failed', 'job 4 failed', 'job 8 failed', 'job 12 failed', 'job 16 failed']);
    expect(ok).toBe(15);
  });

  it('without onTaskError the first task error ends run() with that error, after running tasks end', async () => {
    const { source } = steeredSource();
    let n = 0;
    let endedAfterFailure = 0;
    let failed = false;
    const pool = new AutoscaledPool({
      minConcurrency: 3,
      maxConcurrency: 3,
      isTaskReady: async () => true,
      runTask: async () => {
        const me = n++;
        await new Promise((r) => setTimeout(r, me === 0 ? 10 : 200));
        if (me === 0) {
          failed = true;
          throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        }
        if (failed) endedAfterFailure++;
      },
      isFinished: async () => false,
      sampleSource: source,
    });
    const outcome = pool.run().then(
      () => 'resolved',
      (err: unknown) => err,
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await outcome).toMatchObject({ code: 'ENOSPC' });
    expect(n).toBe(3);
    expect(endedAfterFailure).toBe(2);
  });

  it('a failing isTaskReady (the store broke) rejects run()', async () => {
    const { source } = steeredSource();
    const pool = new AutoscaledPool({
      minConcurrency: 1,
      maxConcurrency: 1,
      isTaskReady: async () => {
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      },
      runTask: async () => {},
      isFinished: async () => false,
      sampleSource: source,
    });
    const outcome = pool.run().catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toMatchObject({ code: 'SQLITE_BUSY' });
  });

  it('validates options at the boundary', () => {
    const base = { isTaskReady: async () => true, runTask: async () => {}, isFinished: async () => true };
    expect(() => new AutoscaledPool({ ...base, minConcurrency: 5, maxConcurrency: 2 })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID', option: 'pool.minConcurrency' }));
    expect(() => new AutoscaledPool({ ...base, minConcurrency: 0, maxConcurrency: 2 })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID' }));
    expect(() => new AutoscaledPool({ ...base, minConcurrency: 1, maxConcurrency: 2, initialConcurrency: 3 })).toThrow(expect.objectContaining({ option: 'pool.initialConcurrency' }));
    expect(() => new AutoscaledPool({ ...base, minConcurrency: 1, maxConcurrency: 2, scaleUpStepRatio: 0 })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID' }));
    expect(() => new AutoscaledPool({ ...base, minConcurrency: 1, maxConcurrency: 2, runTask: 'nope' } as never)).toThrow(expect.objectContaining({ option: 'pool.runTask' }));
    expect(() => new AutoscaledPool({ ...base, minConcurrency: 1, maxConcurrency: 2, autoscale: true } as never)).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_UNKNOWN' }));
  });
});
