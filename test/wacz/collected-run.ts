import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Collector } from '../../src/collect/collector.js';
import { parseResolveRule } from '../../src/net/index.js';
import { startTestWeb, type TestWeb, type TestWebInput } from '../../src/testweb/index.js';

/** Collects `count` pages (and `moreUrls`) of a small synthetic web into `dataDir/runs/<runId>` (the web is stopped after). */
export async function collectRun(
  dataDir: string,
  runId: string,
  count: number,
  extra: Record<string, unknown> = {},
  moreUrls: (web: TestWeb) => string[] = () => [],
  webOptions: TestWebInput = {},
): Promise<{ urls: string[]; describe: TestWeb['describe'] }> {
  const web = await startTestWeb({ seed: 31, hosts: 3, pagesPerHost: 40, latency: { kind: 'none' }, faults: 0, crawlDelaySeconds: 0, robots: {}, ...webOptions });
  try {
    const urls = [...Array.from({ length: count }, (_, i) => web.url(i % 3, Math.floor(i / 3))), ...moreUrls(web)];
    await writeFile(join(dataDir, `${runId}.txt`), urls.join('\n'));
    const collector = new Collector({
      dataDir,
      runId,
      input: join(dataDir, `${runId}.txt`),
      resolve: [parseResolveRule(web.resolveRule)],
      allowPrivate: true,
      hostDelayMs: 0,
      progress: 'none',
      ...extra,
    });
    await collector.run();
    return { urls, describe: web.describe.bind(web) };
  } finally {
    await web.close();
  }
}
