import { describe, expect, it } from 'vitest';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestWeb } from '../../src/testweb/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

describe('jarvix run (built CLI)', () => {
  it('collects a list and writes its report in one go, naming the run by time when --run is absent', async () => {
    const web = await startTestWeb({ seed: 4, hosts: 6, pagesPerHost: 20, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0 });
    const tmp = await tempDir();
    try {
      const input = join(tmp.dir, 'seeds.txt');
      await writeFile(input, web.seedUrls(30).join('\n'));
      const res = await runCli(['run', '--data', tmp.dir, '--input', input, '--resolve', web.resolveRule, '--allow-private', '--delay-ms', '0', '--progress', 'none']);
      expect(res.code, res.stderr).toBe(0);
      const [run] = await readdir(join(tmp.dir, 'runs'));
      expect(run).toMatch(/^run-\d{8}-\d{6}$/);
      const html = await readFile(join(tmp.dir, 'runs', run!, 'reports', `${run}.html`), 'utf8');
      expect(html).toContain(run);
      expect(res.stderr).toContain(`reports/${run}.html`);
      // Observability is started only when asked for.
      expect(res.stderr).not.toContain('metrics at');
      const observed = await runCli(['run', '--run', 'observed', '--data', tmp.dir, '--input', input, '--resolve', web.resolveRule, '--allow-private', '--delay-ms', '0', '--progress', 'none', '--metrics-port', '0']);
      expect(observed.code, observed.stderr).toBe(0);
      expect(observed.stderr).toMatch(/jarvix: metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/);
      const usage = await runCli(['run', '--data', tmp.dir]);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('--input');
    } finally {
      await web.close();
      await tmp.cleanup();
    }
  });
});
