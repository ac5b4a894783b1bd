import { Cluster } from 'ioredis';
import { shardLayout } from '../../src/frontier/redis-cluster-layout.js';
import { check } from './redis-invariants.js';

/** The single-Redis invariants (redis-invariants.ts), checked on every shard of a cluster run on the primary that holds it. */
export async function clusterInvariantViolations(url: string, run: string, shards: number): Promise<string[]> {
  const u = new URL(url);
  const c = new Cluster([{ host: u.hostname, port: Number(u.port) }], { redisOptions: { maxRetriesPerRequest: 1 } });
  try {
    await new Promise<void>((resolve, reject) => {
      c.once('ready', resolve);
      c.once('error', reject);
    });
    const problems: string[] = [];
    const layout = shardLayout(run, shards);
    for (const [i, prefix] of layout.prefixes.entries()) {
      const owner = c.slots[layout.slots[i]!]?.[0];
      const node = c.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner);
      if (node === undefined) problems.push(`${prefix}: no primary for slot ${layout.slots[i]}`);
      else problems.push(...(await check(node, prefix)).map((p) => `${prefix} ${p}`));
    }
    return problems;
  } finally {
    c.disconnect();
  }
}
