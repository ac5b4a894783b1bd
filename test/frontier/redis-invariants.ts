import { Redis } from 'ioredis';

/**
 * Reads a run's keys directly and lists every broken invariant of the layout in
 * src/frontier/redis-scripts.ts: counters, queues, leases, slots and the ready queue must agree
 * with the URL records. Fine for test-sized runs (it reads everything).
 */
export async function redisInvariantViolations(url: string, run: string): Promise<string[]> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    return await check(r, `jvx:{${run}}:`);
  } finally {
    r.disconnect();
  }
}

const pad = (id: string): string => id.padStart(16, '0');

export async function check(r: Redis, P: string): Promise<string[]> {
  const problems: string[] = [];
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await r.scan(cursor, 'MATCH', `${P}u:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');

  const n = await r.hgetall(`${P}n`);
  const dmc = Number((await r.hget(`${P}cfg`, 'dmc')) ?? 1);
  const states = [0, 0];
  const pendingByHost = new Map<string, Set<string>>();
  const leasedIds = new Set<string>();
  for (const key of keys) {
    const id = key.slice(P.length + 2);
    const u = await r.hgetall(key);
    const host = u.h!;
    const s = Number(u.s);
    states[s] = (states[s] ?? 0) + 1;
    const inQ = (await r.zscore(`${P}q:${host}`, pad(id))) !== null;
    const inW = await r.zscore(`${P}w:${host}`, pad(id));
    const le = await r.zscore(`${P}le`, id);
    if (s === 0) {
      if (inQ === (inW !== null)) problems.push(`url ${id}: pending but in q=${inQ} w=${inW !== null}`);
      if (inW !== null && Number(inW) !== Number(u.nb ?? 0)) problems.push(`url ${id}: w score ${inW} != nb ${u.nb}`);
      if (le !== null) problems.push(`url ${id}: pending but in le`);
      (pendingByHost.get(host) ?? pendingByHost.set(host, new Set()).get(host)!).add(id);
    } else if (s === 1) {
      leasedIds.add(id);
      if (inQ || inW !== null) problems.push(`url ${id}: leased but queued`);
      if (le === null || Number(le) !== Number(u.lu)) problems.push(`url ${id}: le score ${le} != lu ${u.lu}`);
      if (!(await r.sismember(`${P}lw:${u.o}`, id))) problems.push(`url ${id}: not in lw:${u.o}`);
    } else {
      problems.push(`url ${id}: state ${u.s}`);
    }
  }
  if (Number(n.pending ?? 0) !== states[0] || Number(n.leased ?? 0) !== states[1]) {
    problems.push(`counters pending=${n.pending} leased=${n.leased} but records say ${states[0]} / ${states[1]}`);
  }
  if (Number(n.done ?? 0) !== Number(n.id ?? 0) - keys.length) problems.push(`done ${n.done} != ids ${n.id} - records ${keys.length}`);
  if ((await r.zcard(`${P}le`)) !== leasedIds.size) problems.push(`le has ${await r.zcard(`${P}le`)} members, ${leasedIds.size} URLs leased`);

  // Slots: sh, se, sw:<worker> and hs:<host> describe the same set.
  const sh = await r.hgetall(`${P}sh`);
  const slotsByHost = new Map<string, number>();
  for (const [slot, v] of Object.entries(sh)) {
    const [host, worker] = [v.slice(0, v.indexOf('\n')), v.slice(v.indexOf('\n') + 1)];
    slotsByHost.set(host, (slotsByHost.get(host) ?? 0) + 1);
    const hs = await r.zscore(`${P}hs:${host}`, pad(slot));
    const se = await r.zscore(`${P}se`, slot);
    if (hs === null || se === null || hs !== se) problems.push(`slot ${slot}: hs=${hs} se=${se}`);
    if (!(await r.sismember(`${P}sw:${worker}`, slot))) problems.push(`slot ${slot}: not in sw:${worker}`);
  }
  if ((await r.zcard(`${P}se`)) !== Object.keys(sh).length) problems.push(`se has ${await r.zcard(`${P}se`)} slots, sh ${Object.keys(sh).length}`);

  for (const host of await r.smembers(`${P}hosts`)) {
    const h = await r.hgetall(`${P}h:${host}`);
    const mc = h.mc === undefined ? dmc : Number(h.mc);
    const inFlight = await r.zcard(`${P}hs:${host}`);
    if (inFlight !== (slotsByHost.get(host) ?? 0)) problems.push(`${host}: hs has ${inFlight}, sh ${slotsByHost.get(host) ?? 0}`);
    if (inFlight > mc) problems.push(`${host}: ${inFlight} in flight > maxConcurrent ${mc}`);
    const q = await r.zcard(`${P}q:${host}`);
    const w = await r.zrange(`${P}w:${host}`, 0, 0, 'WITHSCORES');
    const queued = q + (await r.zcard(`${P}w:${host}`));
    if (queued !== (pendingByHost.get(host)?.size ?? 0)) problems.push(`${host}: ${queued} queued, ${pendingByHost.get(host)?.size ?? 0} pending records`);
    const readyAt = Number(h.r ?? 0);
    const expected = inFlight >= mc ? null : q > 0 ? readyAt : w[1] !== undefined ? Math.max(readyAt, Number(w[1])) : null;
    const got = await r.zscore(`${P}ready`, host);
    if ((got === null ? null : Number(got)) !== expected) problems.push(`${host}: ready ${got} != expected ${expected}`);
  }
  return problems;
}
