import { createHash } from 'node:crypto';
import { FrontierError } from './frontier-error.js';
import { RedisConnection } from './redis-connection.js';
import { planDedup, pushDedupArgs, type DedupLayout, type DedupMode } from './redis-dedup.js';
import { RedisFrontierError } from './redis-error.js';
import { resolveRedisOptions, type RedisFrontierOptions } from './redis-options.js';
import { LAYOUT_VERSION, SCRIPTS, type LuaScript } from './redis-scripts.js';
import { checkAdd, checkInt, checkLeaseArgs, checkPolicy, checkTime, checkWorker, parseId } from './validate.js';
import type { CheckpointRecord, Frontier, FrontierAdd, FrontierCounts, HostKey, HostPolicy, LeasedUrl } from './types.js';

export type { RedisFrontierOptions } from './redis-options.js';
export type { DedupLayout, DedupMode } from './redis-dedup.js';
export { RedisFrontierError, type RedisFrontierErrorCode } from './redis-error.js';

/**
 * The scale-out frontier: the Frontier contract on one Redis shared by any number of workers
 * (processes or machines). Key layout and scripts: redis-scripts.ts; dedup: redis-dedup.ts;
 * outage policy: redis-connection.ts; operations guide: docs/scale-out.md.
 *
 * Same rules as the SQLite frontier (the reference): politeness per host across all workers
 * (maxConcurrent slots, readyAt never moved earlier), leases that expire, commit atomic with its
 * checkpoint record. Each call that changes state is one Lua script, so it is atomic and isolated
 * across workers. Times are the callers' `now`: workers' clocks must agree (NTP) to within the
 * politeness delays, or a host may be asked for a page early by the skew.
 *
 * Not atomic across chunks: `add` of more than 500 URLs and `recover` of more than 1000 leases run
 * as several scripts; each chunk is whole, and both calls are idempotent, so a crash between
 * chunks is repaired by calling again.
 */
const ADD_CHUNK = 500;
const RECOVER_CHUNK = 1_000;
const REQUEUE_CHUNK = 500;

export class RedisFrontier implements Frontier {
  readonly #conn: RedisConnection;
  readonly #run: string;
  /** Key prefix `jvx:{run}:`; KEYS[1] of every script is the counters key, which carries the hash tag. */
  readonly #p: string;
  readonly #key: string;
  readonly #layout: DedupLayout;
  #closed = false;

  private constructor(conn: RedisConnection, run: string, layout: DedupLayout) {
    this.#conn = conn;
    this.#run = run;
    this.#p = `jvx:{${run}}:`;
    this.#key = `${this.#p}n`;
    this.#layout = layout;
  }

  /** Connects (waiting at most `unavailableTimeoutMs`), creates the run if new, or joins it. */
  static async open(options: RedisFrontierOptions): Promise<RedisFrontier> {
    const o = resolveRedisOptions(options);
    const conn = await RedisConnection.open({
      url: o.url, timeoutMs: o.unavailableTimeoutMs, run: o.run, name: o.clientName ?? `jarvix:${o.run}`, ...(o.tls ? { tls: o.tls } : {}),
    });
    try {
      await checkServer(conn, o.run);
      const wanted = planDedup(o.dedup, o.expectedUrls, o.falsePositiveRate);
      const joining = new RedisFrontier(conn, o.run, wanted);
      return new RedisFrontier(conn, o.run, await joining.#init(wanted, o.defaultHostPolicy, options));
    } catch (err) {
      await conn.close();
      throw err;
    }
  }

  get run(): string {
    return this.#run;
  }

  /** The run's dedup layout (the one stored with the run, whatever this open asked for). */
  get dedup(): DedupLayout {
    return this.#layout;
  }

  async add(urls: readonly FrontierAdd[]): Promise<number> {
    this.#open();
    const hosts = urls.map((u, i) => checkAdd(u, i)); // a bad item fails the batch before anything is sent
    let added = 0;
    for (let start = 0; start < urls.length; start += ADD_CHUNK) {
      const args: string[] = [this.#p, this.#layout.mode, String(this.#layout.hashes)];
      for (let i = start; i < Math.min(urls.length, start + ADD_CHUNK); i++) {
        const u = urls[i]!;
        pushDedupArgs(this.#layout, u.url, args);
        args.push(u.url, hosts[i]!, String(u.depth), String(-(u.priority ?? 0)));
      }
      added += Number(await this.#script(SCRIPTS.add, args));
    }
    return added;
  }

  async lease(max: number, options: { now: number; leaseMs: number; worker: string }): Promise<LeasedUrl[]> {
    this.#open();
    checkLeaseArgs(max, options);
    if (max === 0) return [];
    const leaseUntil = options.now + options.leaseMs;
    const flat = (await this.#script(SCRIPTS.lease, [this.#p, max, String(options.now), String(leaseUntil), options.worker])) as string[];
    const out: LeasedUrl[] = [];
    for (let i = 0; i + 5 < flat.length; i += 6) {
      out.push({ id: flat[i]!, url: flat[i + 1]!, host: flat[i + 2]!, depth: Number(flat[i + 3]), attempts: Number(flat[i + 4]), leaseUntil, slot: flat[i + 5]! });
    }
    return out;
  }

  async releaseHost(host: HostKey, readyAt: number, slot?: string): Promise<void> {
    this.#open();
    checkHost(host, 'releaseHost: host');
    checkTime(readyAt, 'releaseHost: readyAt');
    if (slot !== undefined) parseId(slot, 'slot');
    await this.#script(SCRIPTS.release, [this.#p, host, String(readyAt), slot ?? '']);
  }

  async retry(id: string, notBefore: number): Promise<void> {
    this.#open();
    checkTime(notBefore, 'retry: notBefore');
    parseId(id);
    await this.#script(SCRIPTS.retry, [this.#p, id, String(Math.max(0, Math.floor(notBefore)))]);
  }

  async setHostPolicy(host: HostKey, policy: HostPolicy): Promise<void> {
    this.#open();
    checkHost(host, 'setHostPolicy: host');
    checkPolicy(policy, 'setHostPolicy: policy');
    await this.#script(SCRIPTS.setPolicy, [this.#p, host, String(policy.maxConcurrent), String(policy.delayMs)]);
  }

  async getHostPolicy(host: HostKey): Promise<HostPolicy> {
    this.#open();
    checkHost(host, 'getHostPolicy: host');
    const [mc, dl, dmc, ddl] = (await this.#script(SCRIPTS.getPolicy, [this.#p, host])) as (string | null)[];
    return { maxConcurrent: Number(mc ?? dmc), delayMs: Number(dl ?? ddl) };
  }

  async commit(ids: readonly string[], checkpoint: CheckpointRecord): Promise<{ duplicates: string[] }> {
    this.#open();
    checkInt(checkpoint.seq, 0, 'commit: checkpoint.seq');
    checkWorker(checkpoint.worker, 'commit: checkpoint.worker');
    for (const id of ids) parseId(id);
    const { seq, worker, at, shards, warcs, counts } = checkpoint;
    const record = JSON.stringify({ seq, worker, at, shards, warcs, counts });
    const digest = createHash('sha1').update(ids.join(',')).digest('hex');
    const dups = (await this.#script(SCRIPTS.commit, [this.#p, worker, String(seq), record, digest, ...ids])) as string;
    return { duplicates: dups === '' ? [] : dups.split(',') };
  }

  async lastCheckpoint(worker: string): Promise<CheckpointRecord | undefined> {
    this.#open();
    checkWorker(worker, 'lastCheckpoint: worker');
    const [json] = (await this.#script(SCRIPTS.checkpoints, [this.#p, worker])) as (string | null)[];
    return json === null || json === undefined ? undefined : (JSON.parse(json) as CheckpointRecord);
  }

  async checkpoints(): Promise<CheckpointRecord[]> {
    this.#open();
    const list = (await this.#script(SCRIPTS.checkpoints, [this.#p, ''])) as string[];
    return list.map((json) => JSON.parse(json) as CheckpointRecord);
  }

  async recover(options: { now: number; worker?: string }): Promise<number> {
    this.#open();
    checkTime(options.now, 'recover: now');
    if (options.worker !== undefined) checkWorker(options.worker, 'recover: worker');
    let returned = 0;
    for (;;) {
      const [n, more] = (await this.#script(SCRIPTS.recover, [this.#p, String(options.now), options.worker ?? '', RECOVER_CHUNK])) as [number, number];
      returned += n;
      if (more !== 1) return returned;
    }
  }

  async nextReadyAt(): Promise<number | undefined> {
    this.#open();
    const at = (await this.#script(SCRIPTS.nextReady, [this.#p])) as string | null;
    if (at === null) return undefined;
    return at === 'inf' ? Infinity : Number(at);
  }

  async counts(): Promise<FrontierCounts> {
    this.#open();
    const [p, l, d] = (await this.#script(SCRIPTS.counts, [this.#p])) as (string | null)[];
    const pending = Number(p ?? 0);
    const leased = Number(l ?? 0);
    const done = Number(d ?? 0);
    return { pending, leased, done, total: pending + leased + done };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#conn.close();
  }

  /** Deletes every key of the run (all workers' state, checkpoints, dedup) and closes. For tests and `jarvix` run removal. */
  async dropRun(): Promise<void> {
    this.#open();
    await this.#conn.run(async (c) => {
      let cursor = '0';
      do {
        const [next, keys] = await c.scan(cursor, 'MATCH', `${this.#p}*`, 'COUNT', 1000);
        if (keys.length > 0) await c.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    });
    await this.close();
  }

  #open(): void {
    if (this.#closed) throw new FrontierError('JVX_ERR_FRONTIER_CLOSED', 'the frontier is closed');
  }

  #script(s: LuaScript, args: readonly (string | number)[]): Promise<unknown> {
    return this.#conn.script(s, this.#key, args);
  }

  /** Creates the run or joins it; returns the run's dedup layout, sets the run-wide default policy. */
  async #init(wanted: DedupLayout, policy: HostPolicy, given: RedisFrontierOptions): Promise<DedupLayout> {
    const res = (await this.#script(SCRIPTS.init, [
      this.#p, LAYOUT_VERSION, wanted.mode, wanted.expectedUrls, String(wanted.falsePositiveRate),
      wanted.buckets, wanted.segments, wanted.segmentBits, wanted.hashes, policy.maxConcurrent, String(policy.delayMs),
    ])) as string[];
    const [oldDefault, version, mode, expected, fpr, buckets, segments, segmentBits, hashes] = res;
    const fail = (why: string): never => {
      throw new RedisFrontierError('JVX_ERR_FRONTIER_REDIS_CONFIG', `run ${this.#run} at ${this.#conn.endpoint}: ${why}`, { endpoint: this.#conn.endpoint, run: this.#run });
    };
    if (version !== LAYOUT_VERSION) fail(`its keys have layout version ${String(version)}, this jarvix reads ${LAYOUT_VERSION}`);
    const stored: DedupLayout = {
      mode: mode as DedupMode, expectedUrls: Number(expected), falsePositiveRate: Number(fpr),
      buckets: Number(buckets), segments: Number(segments), segmentBits: Number(segmentBits), hashes: Number(hashes),
    };
    if (given.dedup !== undefined && given.dedup !== stored.mode) fail(`it dedups in ${stored.mode} mode, not ${given.dedup}`);
    if (given.expectedUrls !== undefined && given.expectedUrls !== stored.expectedUrls) fail(`it is sized for ${stored.expectedUrls} URLs, not ${given.expectedUrls}`);
    if (stored.mode === 'bloom' && given.falsePositiveRate !== undefined && given.falsePositiveRate !== stored.falsePositiveRate) {
      fail(`its Bloom filter has false-positive rate ${stored.falsePositiveRate}, not ${given.falsePositiveRate}`);
    }
    if (oldDefault !== '' && oldDefault !== String(policy.maxConcurrent)) await this.#requeueAll();
    return stored;
  }

  /** A new default maxConcurrent changes which hosts have a free slot: recompute every host's place. */
  async #requeueAll(): Promise<void> {
    let cursor = '0';
    do {
      const [next, hosts] = await this.#conn.run((c) => c.sscan(`${this.#p}hosts`, cursor, 'COUNT', REQUEUE_CHUNK));
      if (hosts.length > 0) await this.#script(SCRIPTS.requeue, [this.#p, ...hosts]);
      cursor = next;
    } while (cursor !== '0');
  }
}

/** Refuses a server that may evict keys: an evicted URL or slot would be lost or leak silently. */
async function checkServer(conn: RedisConnection, run: string): Promise<void> {
  const info = await conn.run((c) => c.info('memory'));
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== undefined && policy !== 'noeviction') {
    throw new RedisFrontierError('JVX_ERR_FRONTIER_REDIS_CONFIG', `Redis at ${conn.endpoint} has maxmemory-policy ${policy}; the frontier needs noeviction (evicted keys would lose URLs)`, {
      endpoint: conn.endpoint, run,
    });
  }
}

function checkHost(host: string, what: string): void {
  if (typeof host !== 'string' || host === '') throw new FrontierError('JVX_ERR_FRONTIER_BAD_ARGUMENT', `${what} must be a non-empty string`);
}
