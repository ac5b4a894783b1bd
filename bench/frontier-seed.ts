import type { Frontier, FrontierAdd } from '../src/frontier/types.js';

/** Synthetic frontier URLs for the frontier benches: `n` URLs spread round-robin over `hosts` hosts. */
export function* urls(n: number, hosts: number, tag: string): Generator<FrontierAdd> {
  for (let i = 0; i < n; i++) yield { url: `https://h${i % hosts}.bench.test/${tag}/page-${i}.html`, depth: 0, priority: i % 3 };
}

/** Adds `gen` to the frontier in batches of 5,000; returns how many were new. */
export async function seed(f: Frontier, gen: Iterable<FrontierAdd>): Promise<number> {
  let added = 0;
  let batch: FrontierAdd[] = [];
  for (const u of gen) {
    batch.push(u);
    if (batch.length === 5_000) {
      added += await f.add(batch);
      batch = [];
    }
  }
  return added + (batch.length > 0 ? await f.add(batch) : 0);
}
