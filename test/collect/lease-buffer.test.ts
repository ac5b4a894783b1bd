import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LeaseBuffer } from '../../src/collect/lease-buffer.js';
import { SqliteFrontier } from '../../src/frontier/index.js';
import { tempDir } from '../helpers/tmp.js';

describe('LeaseBuffer', () => {
  it('asks the frontier for a small batch even when one slot is free, but never more than the pool holds; deferred leases come back when due', async () => {
    const tmp = await tempDir('jarvix-lease-buffer-');
    const frontier = SqliteFrontier.open({ path: join(tmp.dir, 'state.sqlite'), defaultHostPolicy: { maxConcurrent: 1, delayMs: 0 } });
    try {
      await frontier.add(Array.from({ length: 20 }, (_, i) => ({ url: `http://h${i}.test/`, depth: 0 })));
      const one = new LeaseBuffer(frontier, { worker: 'w0', leaseMs: 60_000, room: () => 1 });
      expect(await one.hasReady()).toBe(true);
      expect(one.size).toBe(8);
      // A pool of 2 slots: no batch beyond it.
      const small = new LeaseBuffer(frontier, { worker: 'w1', leaseMs: 60_000, room: () => 1, maxBatch: 2 });
      expect(await small.hasReady()).toBe(true);
      expect(small.size).toBe(2);

      let woken = 0;
      const buf = new LeaseBuffer(frontier, { worker: 'w2', leaseMs: 60_000, room: () => 1, onDeferredReady: () => woken++ });
      const lease = one.take()!;
      buf.defer(lease, Date.now() + 60);
      expect(buf.size).toBe(1);
      expect(buf.take()).toBeUndefined();
      await new Promise((r) => setTimeout(r, 120));
      expect(woken).toBe(1);
      expect(buf.take()).toBe(lease);
      buf.close();
      small.close();
      one.close();
    } finally {
      await frontier.close();
      await tmp.cleanup();
    }
  });
});
