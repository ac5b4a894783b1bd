import { createHash } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import type { Cluster } from 'ioredis';
import { InvalidOptionError } from '../errors/index.js';
import { FrontierError } from './frontier-error.js';
import { CLUSTER_LAYOUT_VERSION, CLUSTER_SCRIPTS as S } from './redis-cluster-scripts.js';
import { DEFAULT_SHARDS, globalId, hostShard, MAX_SHARDS, shardLayout, splitId, type ShardLayout } from './redis-cluster-layout.js';
import { noteReady, planLease, staleShards, type ShardReadiness } from './redis-cluster-readiness.js';
import { checkCluster } from './redis-cluster-check.js';
import { RedisConnection } from './redis-connection.js';
import { planDedup, pushDedupArgs, type DedupLayout, type DedupMode } from './redis-dedup.js';
import { RedisFrontierError } from './redis-error.js';
import { resolveRedisOptions, type RedisFrontierOptions } from './redis-options.js';
import { LAYOUT_VERSION, type LuaScript } from './redis-scripts.js';
import { checkAdd, checkInt, checkLeaseArgs, checkPolicy, checkTime, checkWorker, parseId } from './validate.js';
import type { CheckpointRecord, Frontier, FrontierAdd, FrontierCounts, HostKey, HostPolicy, LeasedUrl } from './types.js';

export interface RedisClusterFrontierOptions extends RedisFrontierOptions {
  /** Shards of a new run (a run that exists keeps its own). Default 64, at most 1024. */
  shards?: number;
  /**
   * Replicas that must acknowledge add, lease, commit and setHostPolicy before they return (WAIT),
   * so a failover keeps them. Default 1 when the cluster has replicas, else 0.
   */
  replicaAcks?: number;
  /** How long WAIT may take before the call returns anyway. Default 1000 ms. */
  replicaWaitMs?: number;
}

const ADD_CHUNK = 500;
const RECOVER_CHUNK = 1_000;
const REQUEUE_CHUNK = 500;
const NO_REPLICA_MS = 10_000;

/**
 * The Frontier contract on a Redis Cluster: one run sharded by host over many primaries. Layout,
 * fence and retry safety: redis-cluster-scripts.ts; shards and ids: redis-cluster-layout.ts; how
 * leases spread over shards: redis-cluster-readiness.ts; operations: docs/scale-out.md.
 *
 * Everything about one host is one shard's business, so add, lease, release, retry, recover and
 * policies are the single-Redis scripts run per shard. Run-wide figures are summed over the shards
 * on read (counts, nextReadyAt); nothing run-wide is written on the hot path. A commit spans
 * shards, so it is made safe in three steps: an intent (the record and its ids) in the global
 * slot, each shard's part (guarded by the worker's seq and digest), then the record; a worker that
 * died between them finishes its intent on its next commit or lastCheckpoint (roll forward).
 */
export class RedisClusterFrontier implements Frontier {
  readonly #conn: RedisConnection<Cluster>;
  readonly #run: string;
  readonly #g: string;
  readonly #layout: ShardLayout;
  readonly #dedup: DedupLayout;
  readonly #shardDedup: DedupLayout;
  readonly #wait: { replicas: number; timeoutMs: number } | undefined;
  readonly #ready: ShardReadiness[];
  /** Ids this client leased and has not committed or retried: known to exist, no pre-check needed. */
  readonly #held = new Set<string>();
  readonly #noReplicaUntil: number[] = [];
  readonly #globalSlot: number;
  #closed = false;

  private constructor(conn: RedisConnection<Cluster>, run: string, layout: ShardLayout, dedup: DedupLayout, wait: { replicas: number; timeoutMs: number } | undefined) {
    this.#conn = conn;
    this.#run = run;
    this.#g = `jvx:{${run}}:`;
    this.#globalSlot = calculateSlot(run);
    this.#layout = layout;
    this.#dedup = dedup;
    this.#shardDedup = planDedup(dedup.mode, Math.max(1, Math.ceil(dedup.expectedUrls / layout.shards)), dedup.mode === 'bloom' ? dedup.falsePositiveRate : 0.001);
    this.#wait = wait;
    this.#ready = layout.prefixes.map(() => ({ ready: 0, next: undefined, seenAt: 0 }));
  }

  static async open(options: RedisClusterFrontierOptions): Promise<RedisClusterFrontier> {
    const { shards, replicaAcks, replicaWaitMs, ...rest } = options;
    if (shards !== undefined && !(Number.isInteger(shards) && shards >= 1 && shards <= MAX_SHARDS)) throw new InvalidOptionError('RedisClusterFrontier.shards', `an integer from 1 to ${MAX_SHARDS}`, shards);
    if (replicaAcks !== undefined && !(Number.isInteger(replicaAcks) && replicaAcks >= 0)) throw new InvalidOptionError('RedisClusterFrontier.replicaAcks', 'an integer >= 0', replicaAcks);
    if (replicaWaitMs !== undefined && !(Number.isInteger(replicaWaitMs) && replicaWaitMs >= 1)) throw new InvalidOptionError('RedisClusterFrontier.replicaWaitMs', 'an integer >= 1 (ms)', replicaWaitMs);
    const o = resolveRedisOptions(rest);
    const conn = await RedisConnection.open({
      url: o.url, timeoutMs: o.unavailableTimeoutMs, run: o.run, name: o.clientName ?? `jarvix:${o.run}`, cluster: true, ...(o.tls ? { tls: o.tls } : {}),
    });
    try {
      const replicas = await checkCluster(conn, o.run);
      const wanted = planDedup(o.dedup, o.expectedUrls, o.falsePositiveRate);
      const g = `jvx:{${o.run}}:`;
      const fail = (why: string): never => {
        throw new RedisFrontierError('JVX_ERR_FRONTIER_REDIS_CONFIG', `run ${o.run} at ${conn.endpoint}: ${why}`, { endpoint: conn.endpoint, run: o.run });
      };
      const [version, storedShards, mode, expected, fpr] = (await conn.script(S.globalInit, `${g}cfg`, [
        g, CLUSTER_LAYOUT_VERSION, shards ?? DEFAULT_SHARDS, wanted.mode, wanted.expectedUrls, String(wanted.falsePositiveRate),
        wanted.buckets, wanted.segments, wanted.segmentBits, wanted.hashes,
      ])) as string[];
      if (version !== CLUSTER_LAYOUT_VERSION) fail(`its keys have layout version ${String(version)}, not a cluster run (${CLUSTER_LAYOUT_VERSION}): open it without --redis-cluster`);
      if (shards !== undefined && Number(storedShards) !== shards) fail(`it has ${storedShards} shards, not ${shards}`);
      if (options.dedup !== undefined && options.dedup !== mode) fail(`it dedups in ${String(mode)} mode, not ${options.dedup}`);
      if (options.expectedUrls !== undefined && options.expectedUrls !== Number(expected)) fail(`it is sized for ${String(expected)} URLs, not ${options.expectedUrls}`);
      const dedup = planDedup(mode as DedupMode, Number(expected), mode === 'bloom' ? Number(fpr) : 0.001);
      const acks = replicaAcks ?? (replicas > 0 ? 1 : 0);
      const f = new RedisClusterFrontier(conn, o.run, shardLayout(o.run, Number(storedShards)), dedup, acks > 0 ? { replicas: acks, timeoutMs: replicaWaitMs ?? 1_000 } : undefined);
      await f.#initShards(o.defaultHostPolicy);
      return f;
    } catch (err) {
      await conn.close();
      throw err;
    }
  }

  get run(): string {
    return this.#run;
  }

  get dedup(): DedupLayout {
    return this.#dedup;
  }

  get shards(): ShardLayout {
    return this.#layout;
  }

  async add(urls: readonly FrontierAdd[]): Promise<number> {
    this.#open();
    const hosts = urls.map((u, i) => checkAdd(u, i));
    const byShard = new Map<number, number[]>();
    hosts.forEach((h, i) => {
      const s = hostShard(h, this.#layout.shards);
      (byShard.get(s) ?? byShard.set(s, []).get(s)!).push(i);
    });
    const added = await Promise.all([...byShard].map(async ([shard, idx]) => {
      let n = 0;
      for (let start = 0; start < idx.length; start += ADD_CHUNK) {
        const args: string[] = [this.#p(shard), this.#shardDedup.mode, String(this.#shardDedup.hashes)];
        for (const i of idx.slice(start, start + ADD_CHUNK)) {
          const u = urls[i]!;
          pushDedupArgs(this.#shardDedup, u.url, args);
          args.push(u.url, hosts[i]!, String(u.depth), String(-(u.priority ?? 0)));
        }
        n += Number(await this.#script(shard, S.add, args, true));
      }
      this.#ready[shard]!.seenAt = 0;
      return n;
    }));
    return added.reduce((a, b) => a + b, 0);
  }

  async lease(max: number, options: { now: number; leaseMs: number; worker: string }): Promise<LeasedUrl[]> {
    this.#open();
    checkLeaseArgs(max, options);
    if (max === 0) return [];
    await this.#probe(staleShards(this.#ready, Date.now()), options.now);
    const leaseUntil = options.now + options.leaseMs;
    const parts = await Promise.all(planLease(this.#ready, max, options.now).map(async ({ shard, ask }) => {
      const flat = (await this.#script(shard, S.lease, [this.#p(shard), ask, String(options.now), String(leaseUntil), options.worker], true)) as (string | number)[];
      const tail = flat.length - 2;
      this.#ready[shard] = { ready: Number(flat[tail]), next: flat[tail + 1] === '' ? undefined : Number(flat[tail + 1]), seenAt: Date.now() };
      const out: LeasedUrl[] = [];
      for (let i = 0; i + 5 < tail; i += 6) {
        const id = globalId(Number(flat[i]), shard, this.#layout.shards);
        this.#held.add(id);
        out.push({
          id, url: String(flat[i + 1]), host: String(flat[i + 2]), depth: Number(flat[i + 3]), attempts: Number(flat[i + 4]), leaseUntil,
          slot: globalId(Number(flat[i + 5]), shard, this.#layout.shards),
        });
      }
      return out;
    }));
    return parts.flat();
  }

  async releaseHost(host: HostKey, readyAt: number, slot?: string): Promise<void> {
    this.#open();
    checkHost(host, 'releaseHost: host');
    checkTime(readyAt, 'releaseHost: readyAt');
    const shard = hostShard(host, this.#layout.shards);
    let local = '';
    if (slot !== undefined) {
      const t = splitId(parseId(slot, 'slot'), this.#layout.shards);
      // A token of another shard cannot be this host's: nothing to free, readyAt still moves.
      local = t.shard === shard ? t.local : '0';
    }
    const at = (await this.#script(shard, S.release, [this.#p(shard), host, String(readyAt), local])) as string;
    noteReady(this.#ready[shard]!, at === '' ? undefined : Number(at));
  }

  async retry(id: string, notBefore: number): Promise<void> {
    this.#open();
    checkTime(notBefore, 'retry: notBefore');
    const { shard, local } = this.#split(id);
    await this.#script(shard, S.retry, [this.#p(shard), local, String(Math.max(0, Math.floor(notBefore)))]);
    this.#held.delete(id);
    this.#ready[shard]!.seenAt = 0;
  }

  async setHostPolicy(host: HostKey, policy: HostPolicy): Promise<void> {
    this.#open();
    checkHost(host, 'setHostPolicy: host');
    checkPolicy(policy, 'setHostPolicy: policy');
    const shard = hostShard(host, this.#layout.shards);
    await this.#script(shard, S.setPolicy, [this.#p(shard), host, String(policy.maxConcurrent), String(policy.delayMs)], true);
    this.#ready[shard]!.seenAt = 0;
  }

  async getHostPolicy(host: HostKey): Promise<HostPolicy> {
    this.#open();
    checkHost(host, 'getHostPolicy: host');
    const shard = hostShard(host, this.#layout.shards);
    const [mc, dl, dmc, ddl] = (await this.#script(shard, S.getPolicy, [this.#p(shard), host])) as (string | null)[];
    return { maxConcurrent: Number(mc ?? dmc), delayMs: Number(dl ?? ddl) };
  }

  async commit(ids: readonly string[], checkpoint: CheckpointRecord): Promise<{ duplicates: string[] }> {
    this.#open();
    checkInt(checkpoint.seq, 0, 'commit: checkpoint.seq');
    checkWorker(checkpoint.worker, 'commit: checkpoint.worker');
    for (const id of ids) this.#split(id);
    const { seq, worker, at, shards, warcs, counts } = checkpoint;
    const json = JSON.stringify({ seq, worker, at, shards, warcs, counts });
    const digest = createHash('sha1').update(ids.join(',')).digest('hex');
    // Ids this client did not lease are checked first, so an unknown id fails before any shard changes.
    await this.#checkKnown(ids.filter((id) => !this.#held.has(id)));
    for (;;) {
      const [state, payload] = (await this.#global(S.commitBegin, [worker, String(seq), json, digest, ids.join(',')], true)) as [string, string?];
      if (state === 'done') return { duplicates: splitList(payload) };
      if (state !== 'roll') break;
      await this.#finish(worker, payload!);
    }
    const dups = await this.#finish(worker, `${seq}\n${digest}\n${json}\n${ids.join(',')}`);
    for (const id of ids) this.#held.delete(id);
    return { duplicates: splitList(dups) };
  }

  async lastCheckpoint(worker: string): Promise<CheckpointRecord | undefined> {
    this.#open();
    checkWorker(worker, 'lastCheckpoint: worker');
    const open = (await this.#global(S.openIntent, [worker])) as string | null;
    if (open !== null) await this.#finish(worker, open);
    const [json] = (await this.#global(S.checkpoints, [worker])) as (string | null)[];
    return json === null || json === undefined ? undefined : (JSON.parse(json) as CheckpointRecord);
  }

  async checkpoints(): Promise<CheckpointRecord[]> {
    this.#open();
    const list = (await this.#global(S.checkpoints, [''])) as string[];
    return list.map((json) => JSON.parse(json) as CheckpointRecord);
  }

  async recover(options: { now: number; worker?: string }): Promise<number> {
    this.#open();
    checkTime(options.now, 'recover: now');
    if (options.worker !== undefined) checkWorker(options.worker, 'recover: worker');
    const per = await this.#eachShard(async (shard) => {
      let returned = 0;
      for (;;) {
        const [n, more] = (await this.#script(shard, S.recover, [this.#p(shard), String(options.now), options.worker ?? '', RECOVER_CHUNK])) as [number, number];
        returned += n;
        if (n > 0) this.#ready[shard]!.seenAt = 0;
        if (more !== 1) return returned;
      }
    });
    return per.reduce((a, b) => a + b, 0);
  }

  async nextReadyAt(): Promise<number | undefined> {
    this.#open();
    const per = await this.#eachShard((shard) => this.#script(shard, S.probe, [this.#p(shard), String(Number.MAX_SAFE_INTEGER)]) as Promise<[number, string | null, number]>);
    let min: number | undefined;
    let pending = 0;
    per.forEach(([, next, p]) => {
      pending += p;
      if (next !== null && next !== undefined) min = min === undefined ? Number(next) : Math.min(min, Number(next));
    });
    if (min !== undefined) return min;
    return pending > 0 ? Infinity : undefined;
  }

  async counts(): Promise<FrontierCounts> {
    this.#open();
    const per = await this.#eachShard((shard) => this.#script(shard, S.counts, [this.#p(shard)]) as Promise<(string | null)[]>);
    let pending = 0;
    let leased = 0;
    let done = 0;
    for (const [p, l, d] of per) {
      pending += Number(p ?? 0);
      leased += Number(l ?? 0);
      done += Number(d ?? 0);
    }
    return { pending, leased, done, total: pending + leased + done };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#conn.close();
  }

  /** Deletes every key of the run on every primary, then closes. For tests and benchmarks. */
  async dropRun(): Promise<void> {
    this.#open();
    await this.#conn.run(async (c) => {
      for (const node of c.nodes('master')) {
        for (const match of [`jvx:{${this.#run}}:*`, `jvx:{${this.#run}:*`]) {
          let cursor = '0';
          do {
            const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
            for (const k of keys) await node.unlink(k);
            cursor = next;
          } while (cursor !== '0');
        }
      }
    });
    await this.close();
  }

  #open(): void {
    if (this.#closed) throw new FrontierError('JVX_ERR_FRONTIER_CLOSED', 'the frontier is closed');
  }

  #p(shard: number): string {
    return this.#layout.prefixes[shard]!;
  }

  #split(id: string): { shard: number; local: string } {
    return splitId(parseId(id), this.#layout.shards);
  }

  #script(shard: number, s: LuaScript, args: readonly (string | number)[], durable = false): Promise<unknown> {
    return this.#conn.script(s, `${this.#p(shard)}n`, args, durable ? this.#waitFor(shard) : undefined);
  }

  #global(s: LuaScript, args: readonly (string | number)[], durable = false): Promise<unknown> {
    return this.#conn.script(s, `${this.#g}cfg`, [this.#g, ...args], durable ? this.#waitFor(this.#layout.shards) : undefined);
  }

  /**
   * WAIT for replicas, unless the shard's primary recently had none acknowledging (its replica
   * died, or was promoted and has none yet): then every call would sit out the full timeout.
   * Such a shard is retried every NO_REPLICA_MS. Index `shards` stands for the global slot.
   */
  #waitFor(shard: number): { replicas: number; timeoutMs: number; acked: (n: number) => void } | undefined {
    const w = this.#wait;
    if (w === undefined || Date.now() < (this.#noReplicaUntil[shard] ?? 0)) return undefined;
    // WAIT blocks the connection to that primary: never issue one that cannot be answered.
    if (this.#conn.replicasOf(shard < this.#layout.shards ? this.#layout.slots[shard]! : this.#globalSlot) < w.replicas) return undefined;
    return { ...w, acked: (n) => {
      if (n < w.replicas) this.#noReplicaUntil[shard] = Date.now() + NO_REPLICA_MS;
    } };
  }

  #eachShard<T>(fn: (shard: number) => Promise<T>): Promise<T[]> {
    return Promise.all(this.#layout.prefixes.map((_, shard) => fn(shard)));
  }

  async #probe(shards: readonly number[], now: number): Promise<void> {
    await Promise.all(shards.map(async (shard) => {
      const [ready, next] = (await this.#script(shard, S.probe, [this.#p(shard), String(now)])) as [number, string | null, number];
      this.#ready[shard] = { ready: Number(ready), next: next === null || next === undefined ? undefined : Number(next), seenAt: Date.now() };
    }));
  }

  /** Each shard's part of a commit, then the record. `intent` = seq \n digest \n record \n ids. Idempotent. */
  async #finish(worker: string, intent: string): Promise<string> {
    const [seq, digest, json, idList] = splitIntent(intent);
    const byShard = new Map<number, string[]>();
    for (const id of splitList(idList)) {
      const { shard, local } = this.#split(id);
      (byShard.get(shard) ?? byShard.set(shard, []).get(shard)!).push(local);
    }
    const dups = await Promise.all([...byShard].map(async ([shard, locals]) => {
      const d = (await this.#script(shard, S.commit, [this.#p(shard), worker, seq, '', digest, ...locals], true)) as string;
      return splitList(d).map((local) => globalId(Number(local), shard, this.#layout.shards));
    }));
    return (await this.#global(S.commitEnd, [worker, seq, json, digest, dups.flat().join(',')], true)) as string;
  }

  async #checkKnown(ids: readonly string[]): Promise<void> {
    const byShard = new Map<number, string[]>();
    for (const id of ids) {
      const { shard, local } = this.#split(id);
      (byShard.get(shard) ?? byShard.set(shard, []).get(shard)!).push(local);
    }
    // retry of a done or leased URL changes nothing it should not; an unknown id makes it fail.
    await Promise.all([...byShard].map(([shard, locals]) => this.#script(shard, S.known, [this.#p(shard), ...locals])));
  }

  async #initShards(policy: HostPolicy): Promise<void> {
    const d = this.#shardDedup;
    await this.#eachShard(async (shard) => {
      const [oldDefault, version] = (await this.#script(shard, S.init, [
        this.#p(shard), LAYOUT_VERSION, d.mode, d.expectedUrls, String(d.falsePositiveRate), d.buckets, d.segments, d.segmentBits, d.hashes, policy.maxConcurrent, String(policy.delayMs),
      ], true)) as string[];
      if (version !== LAYOUT_VERSION) {
        throw new RedisFrontierError('JVX_ERR_FRONTIER_REDIS_CONFIG', `run ${this.#run} shard ${shard}: layout version ${String(version)}, this jarvix reads ${LAYOUT_VERSION}`, { endpoint: this.#conn.endpoint, run: this.#run });
      }
      if (oldDefault !== '' && oldDefault !== String(policy.maxConcurrent)) await this.#requeueAll(shard);
    });
  }

  async #requeueAll(shard: number): Promise<void> {
    let cursor = '0';
    do {
      const [next, hosts] = await this.#conn.run((c) => c.sscan(`${this.#p(shard)}hosts`, cursor, 'COUNT', REQUEUE_CHUNK));
      if (hosts.length > 0) await this.#script(shard, S.requeue, [this.#p(shard), ...hosts]);
      cursor = next;
    } while (cursor !== '0');
  }
}

function checkHost(host: string, what: string): void {
  if (typeof host !== 'string' || host === '') throw new FrontierError('JVX_ERR_FRONTIER_BAD_ARGUMENT', `${what} must be a non-empty string`);
}

const splitList = (s: string | undefined): string[] => (s === undefined || s === '' ? [] : s.split(','));

function splitIntent(intent: string): [string, string, string, string] {
  const a = intent.indexOf('\n');
  const b = intent.indexOf('\n', a + 1);
  const c = intent.lastIndexOf('\n');
  return [intent.slice(0, a), intent.slice(a + 1, b), intent.slice(b + 1, c), intent.slice(c + 1)];
}
