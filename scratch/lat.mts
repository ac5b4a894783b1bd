import { RedisClusterFrontier } from '../src/frontier/index.js';
import { startRedisCluster } from '../test/helpers/redis-cluster.js';
const cluster = await startRedisCluster();
const f = await RedisClusterFrontier.open({ url: cluster.url, run: 'x', defaultHostPolicy: { maxConcurrent: 1, delayMs: 0 } });
await f.add(Array.from({ length: 2000 }, (_, i) => ({ url: `http://h${i % 50}.test/${i}`, depth: 0 })));
const tm: Record<string, number[]> = { lease: [], release: [], commit: [], next: [], recover: [] };
let seq = 0;
for (let i = 0; i < 100; i++) {
  let t = performance.now();
  const ls = await f.lease(4, { now: Date.now(), leaseMs: 10000, worker: 'w' });
  tm.lease!.push(performance.now() - t); t = performance.now();
  for (const l of ls) await f.releaseHost(l.host, Date.now(), l.slot);
  tm.release!.push(performance.now() - t); t = performance.now();
  await f.commit(ls.map((l) => l.id), { seq: ++seq, worker: 'w', at: 1, shards: [], warcs: [], counts: {} });
  tm.commit!.push(performance.now() - t); t = performance.now();
  await f.nextReadyAt(); tm.next!.push(performance.now() - t); t = performance.now();
  await f.recover({ now: Date.now() }); tm.recover!.push(performance.now() - t);
}
for (const [k, v] of Object.entries(tm)) { v.sort((a, b) => a - b); console.log(k, v[50]!.toFixed(2), v[95]!.toFixed(2)); }
await f.close(); await cluster.stop(); process.exit(0);
