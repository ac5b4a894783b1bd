import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { CHANNELS, type ChannelKey, type Handlers } from './channels.js';

/**
 * Subscribes every handler of every sink and returns the unsubscribe. A subscriber that throws
 * would surface as an uncaught exception in the publisher's process (diagnostics_channel rethrows
 * on the next tick), so observation failures are caught here and only counted: watching a crawl
 * must never break it.
 */
export function subscribeAll(sinks: readonly Handlers[], onError: (err: unknown, channel: string) => void): () => void {
  const undo: (() => void)[] = [];
  for (const key of Object.keys(CHANNELS) as ChannelKey[]) {
    const fns = sinks.map((s) => s[key] as ((m: unknown) => void) | undefined).filter((f): f is (m: unknown) => void => f !== undefined);
    if (fns.length === 0) continue;
    const name = CHANNELS[key];
    const listener = (message: unknown): void => {
      for (const fn of fns) {
        try {
          fn(message);
        } catch (err) {
          onError(err, name);
        }
      }
    };
    subscribe(name, listener);
    undo.push(() => unsubscribe(name, listener));
  }
  return () => {
    for (const u of undo.splice(0)) u();
  };
}
