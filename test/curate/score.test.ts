import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestWeb, type TestWeb } from '../../src/testweb/index.js';
import { tempDir } from '../helpers/tmp.js';
import { collectRun, runCommand, snapshot } from './run-fixture.js';

const SCORE_COLUMNS = ['quality', 'score', 'action', 'confidence', 'reason'];

describe('jarvix score', () => {
  let web: TestWeb;
  let tmp: { dir: string; cleanup: () => Promise<void> };
  const runDir = (): string => join(tmp.dir, 'runs', 's');

  beforeAll(async () => {
    web = await startTestWeb({ seed: 21, hosts: 3, pagesPerHost: 40, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0 });
    tmp = await tempDir();
    await collectRun(tmp.dir, 's', [...new Set(web.seedUrls(50))], { resolveRule: web.resolveRule });
  });
  afterAll(async () => {
    await web?.close();
    await tmp?.cleanup();
  });

  it('re-scores with a YAML profile: actions follow its thresholds, nothing else changes', async () => {
    const before = await snapshot(runDir());
    const scored = [...before.pages.values()].filter((r) => r.score !== null);
    expect(scored.length).toBeGreaterThan(10);
    // The default thresholds (75/50) leave most synthetic pages below BUY.
    expect(scored.filter((r) => r.action !== 'BUY').length).toBeGreaterThan(0);
    const linkFiles = await readdir(join(runDir(), 'links'));

    const profile = join(tmp.dir, 'eager.yaml');
    await writeFile(profile, 'name: eager\nthresholds:\n  buy: 5\n  monitor: 1\nweights:\n  buy_intent: 0\n');
    const res = await runCommand(['score', '--run', 's', '--data', tmp.dir, '--profile', profile, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as { profile: string; rescored: number; changed: number };
    expect(summary.profile).toBe('eager');
    expect(summary.rescored).toBe(scored.length);
    expect(summary.changed).toBeGreaterThan(0);

    const after = await snapshot(runDir());
    expect(after.pages.size).toBe(before.pages.size);
    for (const [url, row] of before.pages) {
      const now = after.pages.get(url)!;
      const rest = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => !SCORE_COLUMNS.includes(k)));
      expect(rest(now), url).toEqual(rest(row));
      if (row.score === null) {
        expect(now.action, url).toBeNull();
        continue;
      }
      const score = now.score as number;
      expect(now.action, url).toBe(score > 5 ? 'BUY' : score > 1 ? 'MONITOR' : 'SKIP');
      expect(now.reason as string, url).toMatch(new RegExp(`^${now.action as string}:`));
    }
    expect([...after.pages.values()].filter((r) => r.action === 'BUY').length).toBeGreaterThan(scored.filter((r) => r.action === 'BUY').length);
    // Only pages was rewritten.
    expect(await readdir(join(runDir(), 'links'))).toEqual(linkFiles);
    expect(after.links).toEqual(before.links);
    expect(after.chunks).toEqual(before.chunks);
  });

  it('a bad profile exits 2 naming the field, and leaves the run alone', async () => {
    const before = await snapshot(runDir());
    const profile = join(tmp.dir, 'bad.yaml');
    await writeFile(profile, 'weights:\n  buy_intent: lots\n');
    const res = await runCommand(['score', '--run', 's', '--data', tmp.dir, '--profile', profile]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('JVX_ERR_SCORE_PROFILE_INVALID');
    expect(res.stderr).toContain('weights.buy_intent');

    await writeFile(profile, 'thresholds:\n  buy: 40\n  monitor: 60\n');
    const inverted = await runCommand(['score', '--run', 's', '--data', tmp.dir, '--profile', profile]);
    expect(inverted.code).toBe(2);
    expect(inverted.stderr).toContain('thresholds.buy');

    const after = await snapshot(runDir());
    for (const [url, row] of before.pages) expect(after.pages.get(url), url).toEqual(row);
  });
});
