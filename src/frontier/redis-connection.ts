import { createHash } from 'node:crypto';
import { jarvixChannel } from '../channels/index.js';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis } from 'ioredis';
import { errorMessage } from '../errors/index.js';
import { FrontierError, type FrontierErrorCode } from './frontier-error.js';
import { RedisFrontierError, redactRedisUrl } from './redis-error.js';
import type { LuaScript } from './redis-scripts.js';

/**
 * One ioredis connection with the frontier's outage policy: bounded wait, then a coded error.
 *
 * A call that finds Redis unreachable (refused, reset, restarting, loading its AOF, or silent
 * past `timeoutMs`) waits for the connection to come back and runs again, for at most
 * `timeoutMs` in all; then it rejects with JVX_ERR_FRONTIER_REDIS_UNAVAILABLE (retryable), so
 * the caller can pause and call again. ioredis reconnects on its own in the background (every
 * 100 ms to 1 s, forever). Its offline queue and its resending of unanswered commands are off:
 * a command is never run later behind the caller's back, after the caller already got an error.
 *
 * Running a call again is safe because every frontier script is idempotent when resent after a
 * lost reply: add dedups, release with a slot token frees only that slot, retry and recover act
 * only on leased URLs, commit recognises its own resend. A lease whose reply was lost holds its
 * URLs until leaseUntil; recover then returns them, as for a crashed worker.
 *
 * Published on `jarvix:frontier:redis`: { event: 'down' | 'up', endpoint, error? }.
 */
const redisChannel = jarvixChannel('redis');

const AUTH_ERRORS = /^(WRONGPASS|NOAUTH|NOPERM)\b/;
/** Replies that mean "not now" rather than "never": treated as an outage and waited out. */
const TRANSIENT_REPLIES = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|READONLY|MOVED|ASK)\b|non local key in a cluster node/;
// The last one is a cluster script's FENCE while its slot migrates (redis-cluster-scripts.ts).
const TLS_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

export interface RedisConnectionOptions {
  url: string;
  timeoutMs: number;
  tls?: ConnectionOptions;
  name: string;
  run: string;
  /** Redis Cluster: `url` is one seed node; the others are discovered (ioredis Cluster follows MOVED/ASK). */
  cluster?: boolean;
}

/** A Redis client: one server, or a Redis Cluster seen through one seed node. */
export type RedisClient = Redis | Cluster;

export class RedisConnection<C extends RedisClient = Redis> {
  readonly #client: C;
  readonly #endpoint: string;
  readonly #run: string;
  readonly #timeoutMs: number;
  readonly #shas = new Map<LuaScript, string>();
  #lastError: Error | undefined;
  #down = false;
  #closed = false;
  #lastRefresh = 0;

  private constructor(o: RedisConnectionOptions) {
    this.#endpoint = redactRedisUrl(o.url);
    this.#run = o.run;
    this.#timeoutMs = o.timeoutMs;
    const tls = o.tls ?? (o.url.startsWith('rediss:') ? {} : undefined);
    const node = {
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      // 0: commands in flight when the connection drops are rejected at once (we decide to rerun).
      maxRetriesPerRequest: 0,
      connectTimeout: Math.min(o.timeoutMs, 10_000),
      commandTimeout: o.timeoutMs,
      retryStrategy: (attempt: number) => Math.min(100 * attempt, 1_000),
      connectionName: o.name,
      ...(tls === undefined ? {} : { tls }),
    };
    this.#client = (o.cluster === true ? newCluster(o.url, node) : new Redis(o.url, { ...node, enableAutoPipelining: true })) as C;
    this.#client.on('error', (err: Error) => {
      this.#lastError = err;
      this.#setDown(true, err);
    });
    this.#client.on('close', () => this.#setDown(true, this.#lastError));
    this.#client.on('ready', () => this.#setDown(false));
  }

  /** Connects, waiting at most `timeoutMs`; bad credentials or certificates fail at once. */
  static open(o: RedisConnectionOptions & { cluster?: false }): Promise<RedisConnection>;
  static open(o: RedisConnectionOptions & { cluster: true }): Promise<RedisConnection<Cluster>>;
  static async open(o: RedisConnectionOptions): Promise<RedisConnection<RedisClient>> {
    const c = new RedisConnection<RedisClient>(o);
    c.#client.connect().catch(() => undefined); // failures surface through the events and #waitReady
    try {
      await c.#waitReady(Date.now() + o.timeoutMs);
    } catch (err) {
      c.#client.disconnect();
      throw err;
    }
    return c;
  }

  get endpoint(): string {
    return this.#endpoint;
  }

  /**
   * Runs a frontier script (EVALSHA, EVAL when the server lost its script cache, e.g. after a
   * restart). With `replicas` > 0 the script is followed on the same connection by
   * `WAIT replicas timeoutMs`, so its writes reach a replica before the caller acts on them (a
   * failover to that replica then keeps them); WAIT giving up after timeoutMs is not an error.
   */
  script(s: LuaScript, key: string, args: readonly (string | number)[], wait?: { replicas: number; timeoutMs: number; acked?: (replicas: number) => void }): Promise<unknown> {
    let sha = this.#shas.get(s);
    if (sha === undefined) {
      sha = createHash('sha1').update(s.source).digest('hex');
      this.#shas.set(s, sha);
    }
    const id = sha;
    const once = async (c: C, useEval: boolean): Promise<unknown> => {
      if (wait === undefined || wait.replicas <= 0) return useEval ? c.eval(s.source, 1, key, ...args) : c.evalsha(id, 1, key, ...args);
      const p = c.pipeline();
      if (useEval) p.eval(s.source, 1, key, ...args);
      else p.evalsha(id, 1, key, ...args);
      p.wait(wait.replicas, wait.timeoutMs);
      const res = (await p.exec()) ?? [];
      const [err, value] = res[0] ?? [new Error('empty pipeline reply'), undefined];
      if (err) throw err;
      if (wait.acked !== undefined && res[1] !== undefined && res[1][0] === null) wait.acked(Number(res[1][1]));
      return value;
    };
    return this.run(async (c) => {
      try {
        return await once(c, false);
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return once(c, true);
        throw err;
      }
    });
  }

  /** Runs `op` under the outage policy (see the class comment). */
  async run<T>(op: (client: C) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      if (this.#closed) throw closedError();
      if (this.#client.status !== 'ready') await this.#waitReady(deadline);
      try {
        return await op(this.#client);
      } catch (err) {
        if (this.#closed) throw closedError();
        const e = err instanceof Error ? err : new Error(String(err));
        if (!isOutage(e)) throw this.#mapReply(e);
        this.#lastError = e;
        this.#refreshSlots();
        if (Date.now() >= deadline) throw this.#unavailable();
        // A timed-out command on a live socket means a hung server: reconnect instead of queueing behind it.
        if (e.message === 'Command timed out' && this.#client.status === 'ready') this.#client.disconnect(true);
        await sleep(Math.min(50, Math.max(0, deadline - Date.now())));
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.#client.status === 'ready') await Promise.race([this.#client.quit(), sleep(1_000)]);
    } catch {
      // Closing anyway: a failed QUIT leaves nothing to clean up server-side.
    }
    this.#client.disconnect();
  }

  /** Redis Cluster: how many replicas serve `slot` in the client's current slot map (0 for one server). */
  replicasOf(slot: number): number {
    const c: RedisClient = this.#client;
    return c instanceof Cluster ? Math.max(0, (c.slots[slot]?.length ?? 1) - 1) : 0;
  }

  /** Redis Cluster: after a failure, ask again which primary serves which slots (a failover moved them), at most every 250 ms. */
  #refreshSlots(): void {
    const c: RedisClient = this.#client;
    if (!(c instanceof Cluster) || Date.now() - this.#lastRefresh < 250) return;
    this.#lastRefresh = Date.now();
    c.refreshSlotsCache();
  }

  #waitReady(deadline: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const c = this.#client;
      const done = (err?: Error): void => {
        clearTimeout(timer);
        c.off('ready', onReady);
        c.off('error', onError);
        c.off('end', onEnd);
        if (err) reject(err);
        else resolve();
      };
      const onReady = (): void => done();
      const onError = (err: Error): void => {
        const fatal = this.#fatal(err);
        if (fatal) done(fatal);
      };
      const onEnd = (): void => done(this.#closed ? closedError() : this.#unavailable());
      const timer = setTimeout(() => done(this.#unavailable()), Math.max(0, deadline - Date.now()));
      c.on('ready', onReady);
      c.on('error', onError);
      c.on('end', onEnd);
      if (this.#closed) return done(closedError());
      if (c.status === 'ready') return done();
      const fatal = this.#lastError && this.#fatal(this.#lastError);
      if (fatal) done(fatal);
    });
  }

  /** Errors that waiting cannot fix: wrong credentials, a certificate the client rejects. */
  #fatal(err: Error): RedisFrontierError | undefined {
    const ctx = { endpoint: this.#endpoint, run: this.#run, cause: err };
    if (AUTH_ERRORS.test(err.message)) return new RedisFrontierError('JVX_ERR_FRONTIER_REDIS_AUTH', `Redis at ${this.#endpoint} refused the credentials: ${err.message}`, ctx);
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && TLS_ERRORS.test(code)) return new RedisFrontierError('JVX_ERR_FRONTIER_REDIS_TLS', `TLS to ${this.#endpoint} failed: ${err.message}`, ctx);
    return undefined;
  }

  #unavailable(): RedisFrontierError {
    const why = this.#lastError ? `: ${errorMessage(this.#lastError)}` : '';
    return new RedisFrontierError('JVX_ERR_FRONTIER_REDIS_UNAVAILABLE', `Redis at ${this.#endpoint} did not answer within ${this.#timeoutMs} ms${why}`, {
      endpoint: this.#endpoint, run: this.#run, cause: this.#lastError,
    });
  }

  /** A script's own errors carry a frontier code as their first word; anything else is Redis'. */
  #mapReply(err: Error): Error {
    const ctx = { endpoint: this.#endpoint, run: this.#run, cause: err };
    const m = /^(JVX_ERR_FRONTIER_[A-Z_]+) ?(.*)$/s.exec(err.message);
    if (m?.[1] === 'JVX_ERR_FRONTIER_REDIS_LOST') return new RedisFrontierError(m[1], `run ${this.#run} at ${this.#endpoint}: ${m[2] ?? ''}`, ctx);
    if (m) {
      const code = m[1] as FrontierErrorCode;
      const rest = m[2] ?? '';
      return code === 'JVX_ERR_FRONTIER_UNKNOWN_ID'
        ? new FrontierError(code, `no URL with id ${rest} in this frontier`, { id: rest })
        : new FrontierError(code, rest);
    }
    const fatal = this.#fatal(err);
    if (fatal) return fatal;
    if (err.message.startsWith('OOM')) return new RedisFrontierError('JVX_ERR_FRONTIER_REDIS_OOM', `Redis at ${this.#endpoint} is out of memory: ${err.message}`, ctx);
    return new RedisFrontierError('JVX_ERR_FRONTIER_REDIS_COMMAND', `Redis at ${this.#endpoint} refused a frontier command: ${err.message}`, ctx);
  }

  #setDown(down: boolean, error?: Error): void {
    if (this.#down === down || this.#closed) return;
    this.#down = down;
    if (redisChannel.hasSubscribers) {
      redisChannel.publish({ event: down ? 'down' : 'up', endpoint: this.#endpoint, run: this.#run, error: error ? errorMessage(error) : undefined });
    }
  }
}

/** Connection-level failures (ioredis' own errors, socket errors, timeouts) and "try later" replies. */
function isOutage(err: Error): boolean {
  if (err.name !== 'ReplyError') return !(err instanceof FrontierError);
  return TRANSIENT_REPLIES.test(err.message);
}

/** A Redis Cluster seed node and the credentials of a `redis://user:pass@host:port` URL (ioredis' Cluster takes them apart). */
export function clusterSeed(url: string): { seed: { host: string; port: number }; auth: { username?: string; password?: string } } {
  const u = new URL(url);
  return {
    seed: { host: u.hostname, port: Number(u.port || 6379) },
    auth: {
      ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
      ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
    },
  };
}

function newCluster(url: string, node: Record<string, unknown>): Cluster {
  const { seed, auth } = clusterSeed(url);
  return new Cluster([seed], {
    lazyConnect: true,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    // Reading from replicas could see a lease or commit not yet replicated: primaries only.
    scaleReads: 'master',
    maxRedirections: 16,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2_000,
    clusterRetryStrategy: (attempt: number) => Math.min(100 * attempt, 1_000),
    redisOptions: { ...node, ...auth },
  });
}

function closedError(): FrontierError {
  return new FrontierError('JVX_ERR_FRONTIER_CLOSED', 'the frontier is closed');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
