import Database from 'better-sqlite3';

/**
 * The politeness delay the run applied to each host: a host's own entry in state.sqlite (raised by
 * a robots.txt Crawl-delay or by overload) or else the run's configured default. Only the hosts the
 * report shows are looked up. A run without state (a Redis run, a copied dataset) falls back to the
 * default; a store that cannot be read is not a reason to fail a report.
 */
export function hostDelays(statePath: string, hosts: readonly string[], defaultDelayMs: number | null): Map<string, number | null> {
  const out = new Map<string, number | null>(hosts.map((h) => [h, defaultDelayMs]));
  if (hosts.length === 0) return out;
  let db: Database.Database | undefined;
  try {
    db = new Database(statePath, { readonly: true, fileMustExist: true });
    const get = db.prepare<[string], { delay_ms: number | null }>('SELECT delay_ms FROM hosts WHERE host = ?');
    for (const host of hosts) {
      const row = get.get(host);
      if (row?.delay_ms !== null && row?.delay_ms !== undefined) out.set(host, row.delay_ms);
    }
  } catch {
    // no state.sqlite, or not the SQLite frontier's schema: the configured default stands
  } finally {
    db?.close();
  }
  return out;
}
