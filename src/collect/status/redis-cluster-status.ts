import { Cluster } from 'ioredis';
import { shardLayout } from '../../frontier/index.js';
import { clusterSeed } from '../../frontier/redis-connection.js';
import { redactRedisUrl } from '../../frontier/redis-error.js';
import type { CheckpointRecord } from '../../frontier/types.js';
import { StatusRunNotFoundError, WorkerTally, type RunStatus } from './run-status.js';

const PAGE = 500;

/**
 * Status of a Redis Cluster run, read-only, from its key layout (src/frontier/redis-cluster-scripts.ts):
 * the global cfg gives the shard count; counters and ready hosts are summed over the shards (each
 * read goes to the primary holding that shard); checkpoint records come from the global slot in pages.
 */
export async function redisClusterRunStatus(url: string, run: string, now = Date.now()): Promise<RunStatus> {
  const { seed, auth } = clusterSeed(url);
  const client = new Cluster([seed], {
    lazyConnect: true,
    enableOfflineQueue: false,
    scaleReads: 'master',
    clusterRetryStrategy: () => null,
    redisOptions: { maxRetriesPerRequest: 0, connectTimeout: 10_000, commandTimeout: 10_000, connectionName: `jarvix:${run}:status`, ...auth, ...(url.startsWith('rediss:') ? { tls: {} } : {}) },
  });
  client.on('error', () => {});
  const g = `jvx:{${run}}:`;
  try {
    await client.connect();
    const shards = Number(await client.hget(`${g}cfg`, 'shards'));
    if (!(shards > 0)) throw new StatusRunNotFoundError(run, `the Redis Cluster at ${redactRedisUrl(url)}`);
    let pending = 0;
    let leased = 0;
    let done = 0;
    let ready = 0;
    let waiting = 0;
    await Promise.all(shardLayout(run, shards).prefixes.map(async (p) => {
      const [pe, le, d] = (await client.hmget(`${p}n`, 'pending', 'leased', 'done')).map((v) => Number(v ?? 0)) as [number, number, number];
      pending += pe;
      leased += le;
      done += d;
      ready += await client.zcount(`${p}ready`, '-inf', String(now));
      waiting += await client.zcount(`${p}ready`, `(${now}`, '+inf');
    }));
    const tally = new WorkerTally(now);
    for (let start = 0; ; start += PAGE) {
      const page = await client.lrange(`${g}cp`, start, start + PAGE - 1);
      for (const json of page) tally.add(JSON.parse(json) as CheckpointRecord);
      if (page.length < PAGE) break;
    }
    return { run, store: 'redis', at: now, done, pending, inFlight: leased, total: done + pending + leased, hosts: { ready, waiting }, workers: tally.result() };
  } finally {
    client.disconnect();
  }
}
