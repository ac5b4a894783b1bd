import Database from 'better-sqlite3';

/**
 * Reads a frontier store directly and lists every broken invariant of the schema
 * (src/frontier/sqlite-schema.ts): counters, slots and the ready queue must agree with the rows.
 */
export function frontierInvariantViolations(path: string, defaultMaxConcurrent: number): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const problems: string[] = [];
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const stats = db.prepare('SELECT pending, leased, done FROM stats WHERE id = 1').get() as { pending: number; leased: number; done: number };
    const byState = db.prepare('SELECT state, COUNT(*) AS n FROM urls GROUP BY state').all() as { state: number; n: number }[];
    const real = [0, 1, 2].map((s) => byState.find((r) => r.state === s)?.n ?? 0);
    if (stats.pending !== real[0] || stats.leased !== real[1] || stats.done !== real[2]) {
      problems.push(`stats ${JSON.stringify(stats)} but rows say pending=${real[0]} leased=${real[1]} done=${real[2]}`);
    }
    const hosts = db.prepare(`
      SELECT h.id, h.host, h.pending, h.delayed, h.in_flight AS inFlight, h.ready_at AS readyAt, h.queue_at AS queueAt,
        COALESCE(h.max_concurrent, ?) AS maxC,
        (SELECT COUNT(*) FROM urls u WHERE u.host_id = h.id AND u.state = 0) AS realPending,
        (SELECT COUNT(*) FROM urls u WHERE u.host_id = h.id AND u.state = 0 AND u.not_before > 0) AS realDelayed,
        (SELECT MIN(not_before) FROM urls u WHERE u.host_id = h.id AND u.state = 0) AS minNotBefore,
        (SELECT COUNT(*) FROM slots s WHERE s.host_id = h.id) AS slots
      FROM hosts h`).all(defaultMaxConcurrent) as {
      host: string; pending: number; delayed: number; inFlight: number; readyAt: number; queueAt: number | null; maxC: number;
      realPending: number; realDelayed: number; minNotBefore: number | null; slots: number;
    }[];
    for (const h of hosts) {
      if (h.pending !== h.realPending) problems.push(`${h.host}: pending ${h.pending} != ${h.realPending}`);
      if (h.delayed !== h.realDelayed) problems.push(`${h.host}: delayed ${h.delayed} != ${h.realDelayed}`);
      if (h.inFlight !== h.slots) problems.push(`${h.host}: in_flight ${h.inFlight} != slots ${h.slots}`);
      const expected = h.realPending === 0 || h.slots >= h.maxC ? null : Math.max(h.readyAt, h.minNotBefore ?? 0);
      if (h.queueAt !== expected) problems.push(`${h.host}: queue_at ${h.queueAt} != ${expected}`);
    }
    return problems;
  } finally {
    db.close();
  }
}
