import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPaths } from '../../src/run/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { writeEmptyRun, writeNormalRun } from './fixtures.js';
import { CHROMIUM, missingTool } from './tools.js';

const missingChromium = missingTool(CHROMIUM, 'chromium');

describe('jarvix report (built CLI)', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    tmp = await tempDir('jarvix-report-cli-');
    await writeNormalRun(tmp.dir, 'c1', { pages: 20 });
    await writeEmptyRun(tmp.dir, 'c2');
  });
  afterAll(async () => {
    await tmp?.cleanup();
  });

  it('writes reports/ID.html and prints its path', async () => {
    const r = await runCli(['report', '--run', 'c1', '--data', tmp.dir]);
    const html = join(runPaths(tmp.dir, 'c1').reportsDir, 'c1.html');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${html}\n`);
    await access(html);
  });

  it('exits 1 naming a missing run, before writing anything', async () => {
    const r = await runCli(['report', '--run', 'c2', '--batch', 'nope', '--data', tmp.dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('run nope not found');
    expect(r.stderr).toContain('JVX_ERR_REPORT_RUN_NOT_FOUND');
    await expect(access(join(runPaths(tmp.dir, 'c2').reportsDir, 'c2.html'))).rejects.toThrow();
  });

  it('exits 2 without any run, or with a bad run id', async () => {
    expect((await runCli(['report', '--data', tmp.dir])).code).toBe(2);
    expect((await runCli(['report', '--run', '../x', '--data', tmp.dir])).code).toBe(2);
  });

  it.skipIf(missingChromium !== null)('--batch --pdf -o DIR writes HTML and PDF of every run there', async () => {
    const out = join(tmp.dir, 'out');
    const r = await runCli(['report', '--batch', 'c1', 'c2', '--pdf', '-o', out, '--data', tmp.dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['c1.html', 'c1.pdf', 'c2.html', 'c2.pdf'].map((f) => join(out, f)));
  });
});
