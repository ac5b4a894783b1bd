import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { CHANNELS, type ChannelKey, type Handlers } from './channels.js';

export interface Subscription {
  /** Hands every queued message to the sinks now (before a scrape, at close). */
  flush(): void;
  /** Flushes, then stops listening. */
  unsubscribe(): void;
  /**
   * Drops messages from now on (true) or takes them again (false), staying subscribed: an
   * unsubscribe would switch the core's channel objects back to inactive (a prototype change in
   * Node), which costs re-optimisation of every publishing function each time.
   */
  pause(paused: boolean): void;
}

export interface SubscribeOptions {
  /**
   * Queue messages and hand them to the sinks in batches (`true`), or call the sinks inside each
   * publish (`false`: logs, whose timestamps are taken when they are written).
   */
  batched: boolean;
  /** A batch is handed over when this many messages wait… */
  maxQueued?: number;
  /** …or this long after the first of them, whichever comes first. */
  flushIntervalMs?: number;
  /** After each batch: how long the sinks took and how many messages they got (observe's own cost). */
  onBatch?: (ms: number, messages: number) => void;
}

/** Wall-clock milliseconds with sub-millisecond precision: the `at` handed to each handler. */
const ORIGIN = performance.timeOrigin;
const now = (): number => ORIGIN + performance.now();

/**
 * Subscribes every handler of every sink and returns the subscription. Each handler gets the
 * message and `at`, the time it was published (epoch ms).
 *
 * Batched: a publish only appends the message and its time to a queue; the queue goes to the
 * sinks in one pass every `flushIntervalMs` or `maxQueued` messages. Measured on a collect
 * (bench/observe-collect.ts), the same handlers cost several times more when called one message
 * at a time between fetches (their code and data evicted from the CPU caches by the page work in
 * between) than in a pass over a batch; the queue is bounded, so memory is too.
 *
 * A subscriber that throws would surface as an uncaught exception in the publisher's process
 * (diagnostics_channel rethrows on the next tick), so observation failures are caught here and
 * only counted: watching a crawl must never break it.
 */
export function subscribeAll(sinks: readonly Handlers[], onError: (err: unknown, channel: string) => void, options: SubscribeOptions): Subscription {
  const maxQueued = options.maxQueued ?? 1024;
  const undo: (() => void)[] = [];
  // Queue of [handlers, channel name, message, at], flattened.
  const queue: unknown[] = [];
  let timer: NodeJS.Timeout | undefined;
  let paused = false;

  const deliver = (fns: readonly ((m: unknown, at: number) => void)[], name: string, message: unknown, at: number): void => {
    for (const fn of fns) {
      try {
        fn(message, at);
      } catch (err) {
        onError(err, name);
      }
    }
  };
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const started = performance.now();
    // Handlers may publish (rarely); what they add goes out in this same pass.
    for (let i = 0; i < queue.length; i += 4) {
      deliver(queue[i] as ((m: unknown, at: number) => void)[], queue[i + 1] as string, queue[i + 2], queue[i + 3] as number);
    }
    const messages = queue.length / 4;
    queue.length = 0;
    options.onBatch?.(performance.now() - started, messages);
  };

  for (const key of Object.keys(CHANNELS) as ChannelKey[]) {
    const fns = sinks.map((s) => s[key] as ((m: unknown, at: number) => void) | undefined).filter((f): f is (m: unknown, at: number) => void => f !== undefined);
    if (fns.length === 0) continue;
    const name = CHANNELS[key];
    const listener = options.batched
      ? (message: unknown): void => {
          if (paused) return;
          queue.push(fns, name, message, now());
          if (queue.length >= maxQueued * 4) flush();
          else if (timer === undefined) {
            timer = setTimeout(flush, options.flushIntervalMs ?? 50);
            timer.unref();
          }
        }
      : (message: unknown): void => {
          if (!paused) deliver(fns, name, message, now());
        };
    subscribe(name, listener);
    undo.push(() => unsubscribe(name, listener));
  }
  return {
    flush,
    unsubscribe: () => {
      for (const u of undo.splice(0)) u();
      flush();
    },
    pause: (p) => {
      if (p) flush();
      paused = p;
    },
  };
}
