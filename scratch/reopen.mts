import { RedisClusterFrontier } from '../src/frontier/index.js';
import { startRedisCluster } from '../test/helpers/redis-cluster.js';
const cluster = await startRedisCluster();
const f = await RedisClusterFrontier.open({ url: cluster.url, run: 'x', defaultHostPolicy: { maxConcurrent: 1, delayMs: 0 } });
await f.close();
const p = (await cluster.nodes()).find((n) => n.role === 'master' && n.port !== cluster.ports[0])!;
await cluster.kill(p.port); await cluster.waitHealthy();
console.log(await cluster.nodes());
const t = Date.now();
try { const g = await RedisClusterFrontier.open({ url: cluster.url, run: 'x', defaultHostPolicy: { maxConcurrent: 1, delayMs: 0 }, unavailableTimeoutMs: 5000 }); console.log('ok', Date.now() - t); await g.close(); }
catch (e) { console.log('fail', Date.now() - t, e); }
await cluster.stop(); process.exit(0);
