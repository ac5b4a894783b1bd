import { Redis } from 'ioredis';
import { errorMessage } from '../../errors/index.js';
import { RedisFrontierError, redactRedisUrl } from '../../frontier/redis-error.js';
import type { CheckpointRecord } from '../../frontier/types.js';
import { StatusRunNotFoundError, WorkerTally, type RunStatus } from './run-status.js';

const PAGE = 500;

/**
 * Status of a Redis run, read-only. It reads the RedisFrontier key layout (src/frontier/redis-scripts.ts)
 * directly instead of opening a RedisFrontier, because opening joins the run and sets its default
 * host policy. Checkpoint records are read in pages, so memory stays flat on long runs.
 */
export async function redisRunStatus(url: string, run: string, now = Date.now()): Promise<RunStatus> {
  const tls = url.startsWith('rediss:') ? {} : undefined;
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 10_000,
    commandTimeout: 10_000,
    retryStrategy: () => null,
    connectionName: `jarvix:${run}:status`,
    ...(tls === undefined ? {} : { tls }),
  });
  let lastError: Error | undefined;
  client.on('error', (err: Error) => (lastError = err));
  const p = `jvx:{${run}}:`;
  try {
    await client.connect().catch((err: unknown) => {
      // ioredis says only "Connection is closed."; the socket's own error (ECONNREFUSED...) is the cause.
      const cause = lastError ?? err;
      const endpoint = redactRedisUrl(url);
      throw new RedisFrontierError('JVX_ERR_FRONTIER_REDIS_UNAVAILABLE', `cannot reach Redis at ${endpoint}: ${errorMessage(cause)}`, { endpoint, run, cause });
    });
    if ((await client.exists(`${p}cfg`)) === 0) throw new StatusRunNotFoundError(run, redactRedisUrl(url));
    const [pending, leased, done] = (await client.hmget(`${p}n`, 'pending', 'leased', 'done')).map((v) => Number(v ?? 0)) as [number, number, number];
    const ready = await client.zcount(`${p}ready`, '-inf', String(now));
    const waiting = await client.zcount(`${p}ready`, `(${now}`, '+inf');
    const tally = new WorkerTally(now);
    for (let start = 0; ; start += PAGE) {
      const page = await client.lrange(`${p}cp`, start, start + PAGE - 1);
      for (const json of page) tally.add(JSON.parse(json) as CheckpointRecord);
      if (page.length < PAGE) break;
    }
    return { run, store: 'redis', at: now, done, pending, inFlight: leased, total: done + pending + leased, hosts: { ready, waiting }, workers: tally.result() };
  } finally {
    client.disconnect();
  }
}
