import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writeSeeds } from './workers.js';

/** `jarvix status` without --redis reads the run folder's state.sqlite. */
describe('jarvix status on an embedded run', () => {
  let web: TestWeb;
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    web = await startTestWeb({ seed: 3, hosts: 5, pagesPerHost: 50, latency: { kind: 'none' }, faults: 0, robots: { crawlDelay: 0, timeout: 0 } });
    tmp = await tempDir('jarvix-status-');
  });
  afterAll(async () => {
    await web?.close();
    await tmp?.cleanup();
  });

  it('reports done, pending, in flight and the worker, as JSON and as text; a missing run is an error with a code', async () => {
    const urls = [...new Set(web.seedUrls(60))];
    const input = await writeSeeds(tmp.dir, urls);
    const c = await runCli(['collect', '--run', 'st', '--data', tmp.dir, '--input', input, '--resolve', web.resolveRule, '--allow-private', '--delay-ms', '0', '--progress', 'none', '--no-extract']);
    expect([0, 3], c.stderr).toContain(c.code);
    const s = await runCli(['status', '--run', 'st', '--data', tmp.dir, '--json']);
    expect(s.code, s.stderr).toBe(0);
    const status = JSON.parse(s.stdout) as { store: string; done: number; pending: number; inFlight: number; workers: { worker: string; done: number }[] };
    expect(status).toMatchObject({ store: 'sqlite', done: urls.length, pending: 0, inFlight: 0 });
    expect(status.workers).toMatchObject([{ worker: 'w0', done: urls.length }]);
    const text = await runCli(['status', '--run', 'st', '--data', tmp.dir]);
    expect(text.stdout).toContain(`done ${urls.length} of ${urls.length}`);
    const missing = await runCli(['status', '--run', 'nope', '--data', join(tmp.dir, 'x')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('JVX_ERR_STATUS_RUN_NOT_FOUND');
  });
});
