import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { startTestWeb } from '../../src/testweb/index.js';
import { openRunDatabase } from '../../src/query/index.js';
import { resumeCommand, shellQuote } from '../../src/cli/resume-command.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Splits what resumeCommand printed back into arguments (single quotes only, as shellQuote writes). */
function shellSplit(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)) out.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  return out;
}

describe('jarvix run without --run: the resume command resumes', () => {
  it('quotes arguments for a shell and adds the generated --run (never --fresh)', () => {
    expect(resumeCommand(['run', '--input', 'my seeds.txt', '--fresh'], 'run-1')).toBe("jarvix run --input 'my seeds.txt' --run run-1");
    expect(resumeCommand(['collect', '--run', 'x'], 'x')).toBe('jarvix collect --run x');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellSplit(resumeCommand(['run', '--input', "it's here"], 'r'))).toEqual(['jarvix', 'run', '--input', "it's here", '--run', 'r']);
  });

  it('prints the real command at start and on interrupt; running it continues the same run to every URL once', async () => {
    const web = await startTestWeb({ seed: 21, hosts: 4, pagesPerHost: 40, latency: { kind: 'fixed', medianMs: 60 }, faults: 0, crawlDelaySeconds: 0 });
    const tmp = await tempDir();
    try {
      const urls = web.seedUrls(120);
      const input = join(tmp.dir, 'seeds.txt');
      await writeFile(input, urls.join('\n'));
      const child = startCli(['run', '--data', tmp.dir, '--input', input, '--resolve', web.resolveRule, '--allow-private', '--delay-ms', '40', '--progress', 'none', '--no-extract']);
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      for (let i = 0; i < 200 && !/to resume it: .+\n/.test(stderr); i++) await sleep(25);
      const [, runId, atStart] = /run id (\S+); to resume it: (.+)\n/.exec(stderr) ?? [];
      expect(atStart).toBeDefined();
      // Interrupt once collecting is under way (its state exists).
      for (let i = 0; i < 200 && !(await stat(join(tmp.dir, 'runs', runId!, 'state.sqlite')).catch(() => null)); i++) await sleep(25);
      await sleep(500);
      child.kill('SIGINT');
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      const onInterrupt = /interrupted: resume with: (.+?)\)\n/.exec(stderr)?.[1];
      expect(onInterrupt).toBe(atStart);
      const args = shellSplit(onInterrupt!);
      expect(args[0]).toBe('jarvix');
      expect(args).toContain('--run');

      const resumed = await runCli(args.slice(1), { timeoutMs: 120_000 });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(await readdir(join(tmp.dir, 'runs'))).toEqual([runId]);
      const db = await openRunDatabase(join(tmp.dir, 'runs', runId!));
      try {
        const rows = (await db.query('SELECT url, count(*)::INTEGER AS n FROM pages GROUP BY url')) as { url: string; n: number }[];
        expect(rows).toHaveLength(urls.length);
        expect(rows.every((r) => r.n === 1)).toBe(true);
      } finally {
        await db.close();
      }
    } finally {
      await web.close();
      await tmp.cleanup();
    }
  });
});
