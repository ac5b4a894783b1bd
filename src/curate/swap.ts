import { mkdir, readFile, stat } from 'node:fs/promises';
import { jarvixChannel } from '../channels/index.js';
import { join } from 'node:path';
import { parseShardRel, TABLE_NAMES, type TableName } from '../dataset/index.js';
import { CurateSwapError } from './errors.js';
import { fsyncDir, isNotFound, listDir, removeTree, renameIfExists, unlinkIfExists, writeFileAtomic } from './fs-util.js';

/**
 * Crash-safe replacement of whole tables (docs/curate.md, "Swap").
 *
 * A new generation is written in full under `RUN/.curate-tmp/<table>/` (fsynced shards, never
 * visible to readers). The commit point is the marker `RUN/.curate-tmp/swap.json`, written
 * atomically: it lists, per table, the staged shards to move in and every shard file to remove.
 * Then, table by table, the staged shards are renamed into `RUN/<table>/` (same file system, so a
 * rename) and the old files are deleted, each step fsynced. Finally the marker goes, then the
 * staging folder.
 *
 * At the next start (settleGeneration): a marker means the commit happened, so the swap is
 * completed (every step is idempotent); a staging folder without a marker is a generation that
 * never committed, and is deleted. Either way the tables hold exactly one generation.
 */

export const STAGING_DIR = '.curate-tmp';
export const SWAP_MARKER = 'swap.json';
/** Worker name of the shards curate and score write; collect must not use it. */
export const CURATE_WORKER = 'curate';

/** `jarvix:curate:swap` { phase: 'marker' | 'table' | 'done', table? }: progress of a swap (tests kill here). */
const swapChannel = jarvixChannel('curateSwap');

export interface SwapPlan {
  version: 1;
  createdAt: string;
  tables: { table: TableName; add: string[]; remove: string[] }[];
}

export type SettleOutcome = 'none' | 'rolled-back' | 'rolled-forward';

export const stagingDir = (runDir: string): string => join(runDir, STAGING_DIR);

/** Final shard names (`<table>-<worker>-<seq>….parquet`, visible or covered by a compaction) in a table folder; temps excluded. */
export async function shardFiles(tableDir: string, table: TableName): Promise<string[]> {
  const out: string[] = [];
  for (const name of await listDir(tableDir)) {
    try {
      parseShardRel(`${table}/${name}`);
      out.push(name);
    } catch {
      // temps, stray files: not shards
    }
  }
  return out.sort();
}

/** Commits the staged generation of `tables` and swaps it in. The staging folder must hold only finished shards. */
export async function commitGeneration(runDir: string, tables: readonly TableName[]): Promise<SwapPlan> {
  const staging = stagingDir(runDir);
  const plan: SwapPlan = { version: 1, createdAt: new Date().toISOString(), tables: [] };
  for (const table of tables) {
    plan.tables.push({
      table,
      add: await shardFiles(join(staging, table), table),
      remove: await shardFiles(join(runDir, table), table),
    });
  }
  await writeFileAtomic(staging, SWAP_MARKER, `${JSON.stringify(plan, null, 2)}\n`);
  if (swapChannel.hasSubscribers) swapChannel.publish({ phase: 'marker' });
  await applySwap(runDir, plan);
  return plan;
}

/** Completes or rolls back whatever an interrupted curate/score left; a no-op on a clean run. */
export async function settleGeneration(runDir: string): Promise<SettleOutcome> {
  const staging = stagingDir(runDir);
  let text: string;
  try {
    text = await readFile(join(staging, SWAP_MARKER), 'utf8');
  } catch (err) {
    if (!isNotFound(err)) throw new CurateSwapError(runDir, 'cannot read the swap marker', err);
    if (!(await exists(staging))) return 'none';
    await removeTree(staging);
    return 'rolled-back';
  }
  await applySwap(runDir, parsePlan(runDir, text));
  return 'rolled-forward';
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

function parsePlan(runDir: string, text: string): SwapPlan {
  let plan: SwapPlan;
  try {
    plan = JSON.parse(text) as SwapPlan;
  } catch (err) {
    throw new CurateSwapError(runDir, 'the swap marker is not JSON', err);
  }
  const names = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && !s.includes('/') && !s.includes('\\'));
  const ok =
    plan?.version === 1 &&
    Array.isArray(plan.tables) &&
    plan.tables.every((t) => TABLE_NAMES.includes(t?.table) && names(t.add) && names(t.remove));
  if (!ok) throw new CurateSwapError(runDir, 'the swap marker is not a swap plan');
  return plan;
}

/** Idempotent: safe to run again after a crash at any point inside it. */
async function applySwap(runDir: string, plan: SwapPlan): Promise<void> {
  const staging = stagingDir(runDir);
  for (const { table, add, remove } of plan.tables) {
    const dir = join(runDir, table);
    await mkdir(dir, { recursive: true });
    const current = new Set(await shardFiles(dir, table));
    for (const name of add) {
      if (!(await renameIfExists(join(staging, table, name), join(dir, name))) && !current.has(name)) {
        throw new CurateSwapError(runDir, `staged shard ${table}/${name} is gone`);
      }
    }
    await fsyncDir(dir);
    const keep = new Set(add);
    for (const name of remove) if (!keep.has(name)) await unlinkIfExists(join(dir, name));
    await fsyncDir(dir);
    if (swapChannel.hasSubscribers) swapChannel.publish({ phase: 'table', table });
  }
  await unlinkIfExists(join(staging, SWAP_MARKER));
  await fsyncDir(staging).catch(() => {});
  await removeTree(staging);
  if (swapChannel.hasSubscribers) swapChannel.publish({ phase: 'done' });
}
