/**
 * Maps an async source with up to `limit` calls in flight and yields the results in source order:
 * the window bounds memory (at most `limit` items and results alive) while keeping a pool busy.
 * A failing call fails the iteration; calls still in flight are left to settle unobserved.
 */
export async function* mapOrdered<T, R>(source: AsyncIterable<T>, limit: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const window: Promise<R>[] = [];
  const start = (item: T): void => {
    const p = fn(item);
    // Marked as handled now; the rejection still surfaces when its turn to be awaited comes.
    p.catch(() => {});
    window.push(p);
  };
  for await (const item of source) {
    start(item);
    if (window.length >= limit) yield await window.shift()!;
  }
  while (window.length > 0) yield await window.shift()!;
}

/** Flattens batches (scanTable yields one row group at a time) into items. */
export async function* flatten<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}
