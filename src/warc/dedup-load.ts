import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCdxj } from './cdxj.js';
import type { DedupCache } from './dedup-cache.js';
import { readLines } from './line-files.js';
import { parseWarcDate, warcDate } from './warc-date.js';

/** sha1 of zero bytes: every empty body has it, so it never makes a revisit. */
const EMPTY_SHA1 = '3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ';

/**
 * Refills the revisit cache from the run's CDXJ files at open, so a resumed run keeps deduplicating
 * against what earlier sessions (and other workers) archived. Streams line by line; the cache
 * bound holds. Entries have second precision (CDXJ keeps 14 digits) and no record id.
 */
export async function loadDedupFromIndex(indexDir: string, cache: DedupCache): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(indexDir)).filter((n) => n.endsWith('.cdxj')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const name of names) {
    for await (const line of readLines(join(indexDir, name))) {
      const e = parseCdxj(line);
      if (!e || e.mime === 'warc/revisit' || !/^2\d\d$/.test(e.status) || e.digest === '' || e.digest.endsWith(EMPTY_SHA1)) continue;
      const ms = parseWarcDate(e.timestamp);
      if (ms === undefined) continue;
      cache.set(`sha1:${e.digest.replace(/^sha1:/i, '')}`, { uri: e.url, date: warcDate(ms).replace('.000Z', 'Z'), recordId: undefined });
    }
  }
}
