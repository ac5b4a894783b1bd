import type { Cluster } from 'ioredis';
import type { RedisConnection } from './redis-connection.js';
import { RedisFrontierError } from './redis-error.js';

/** Refuses primaries that may evict keys; returns how many replicas the cluster has. */
export async function checkCluster(conn: RedisConnection<Cluster>, run: string): Promise<number> {
  return conn.run(async (c) => {
    for (const node of c.nodes('master')) {
      const policy = /^maxmemory_policy:(\S+)/m.exec(await node.info('memory'))?.[1];
      if (policy !== undefined && policy !== 'noeviction') {
        throw new RedisFrontierError('JVX_ERR_FRONTIER_REDIS_CONFIG', `Redis node ${node.options.host}:${node.options.port} has maxmemory-policy ${policy}; the frontier needs noeviction (evicted keys would lose URLs)`, {
          endpoint: conn.endpoint, run,
        });
      }
    }
    return c.nodes('slave').length;
  });
}
