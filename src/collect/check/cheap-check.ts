import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TABLE_NAMES } from '../../dataset/index.js';
import { covers, parseShardFile, parseShardRel, parseTempFile, type ShardName } from '../../dataset/index.js';
import type { CommittedState } from './checkpoints.js';
import type { RepairLedger } from './ledger.js';
import { PROBLEM, ProblemList } from './problems.js';

/**
 * The cheap check (file listings and sizes only, no reading): every shard the checkpoints committed
 * is on disk (final, still staged, or inside a compaction) and every WARC file of each worker's last
 * checkpoint exists with at least its committed length. `status`, `report` and a resumed `collect`
 * run it and warn; `jarvix check` runs it first.
 */
export async function cheapCheck(runDir: string, committed: CommittedState, ledger: RepairLedger, problems = new ProblemList()): Promise<ProblemList> {
  const writtenOff = new Set(ledger.writtenOffShards);
  const present = new Map<string, { finals: Set<string>; compactions: ShardName[] }>();
  for (const table of TABLE_NAMES) {
    const names = await readdir(join(runDir, table)).catch(() => [] as string[]);
    const finals = new Set<string>();
    const compactions: ShardName[] = [];
    for (const n of names) {
      const s = parseShardFile(n) ?? parseTempFile(n);
      if (!s) continue;
      finals.add(s.rel);
      if (s.compacted && parseShardFile(n)) compactions.push(s);
    }
    present.set(table, { finals, compactions });
  }
  for (const rel of committed.shards) {
    if (writtenOff.has(rel)) continue;
    const name = parseShardRel(rel);
    const p = present.get(name.table)!;
    if (p.finals.has(rel) || p.compactions.some((c) => covers(c, name))) continue;
    problems.add({ code: PROBLEM.shardMissing, file: rel, detail: `committed by checkpoint ${name.first} of worker ${name.worker}, not on disk` });
  }
  for (const w of committed.warcs) {
    const accepted = ledger.acceptedWarcLengths[w.file];
    const want = accepted ?? w.length;
    const size = (await stat(join(runDir, 'warc', w.file)).catch(() => null))?.size;
    if (size === undefined) {
      if (want > 0) problems.add({ code: PROBLEM.warcMissing, file: `warc/${w.file}`, detail: `worker ${w.worker} committed ${w.length} bytes of it` });
    } else if (size < want) problems.add({ code: PROBLEM.warcShort, file: `warc/${w.file}`, detail: `${size} bytes on disk, worker ${w.worker} committed ${want}` });
  }
  return problems;
}
