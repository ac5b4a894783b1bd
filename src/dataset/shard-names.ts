import { ShardNameError } from './errors.js';
import { TABLE_NAMES, type TableName } from './schema.js';

/**
 * Shard file names, relative to the run folder:
 *
 *   pages/pages-<worker>-<seq>.parquet            the shard a checkpoint wrote (seq: 6+ digits)
 *   pages/pages-<worker>-<seq>.<part>.parquet     further parts when one checkpoint exceeds maxShardRows
 *   pages/pages-<worker>-<first>..<last>.parquet  a compaction of every shard of that worker with seq in [first, last]
 *   pages/.<final name>.tmp                       staged or being written, never read
 *
 * Workers are `[A-Za-z0-9_-]+`; the seq never contains `-`, so the last `-` always ends the worker
 * and one worker's names can never be mistaken for another's (`a` vs `a-000001`).
 */
export interface ShardName {
  /** Relative to the run folder, '/'-separated: 'pages/pages-w1-000007.parquet'. */
  readonly rel: string;
  readonly table: TableName;
  readonly worker: string;
  /** Checkpoint sequence range covered; first === last except for compactions. */
  readonly first: number;
  readonly last: number;
  readonly part: number;
  readonly compacted: boolean;
}

export const WORKER_PATTERN = /^[A-Za-z0-9_-]+$/;
export const TEMP_SUFFIX = '.tmp';
const FILE_PATTERN = /^(pages|links|chunks|errors)-([A-Za-z0-9_-]+)-(\d{6,})(?:\.\.(\d{6,})|\.(\d+))?\.parquet$/;

const pad = (n: number): string => String(n).padStart(6, '0');

export function shardFileName(table: TableName, worker: string, seq: number, part = 0): string {
  return `${table}-${worker}-${pad(seq)}${part > 0 ? `.${part}` : ''}.parquet`;
}

export function compactedFileName(table: TableName, worker: string, first: number, last: number): string {
  return `${table}-${worker}-${pad(first)}..${pad(last)}.parquet`;
}

/** `pages/x.parquet` → `pages/.x.parquet.tmp` */
export function tempRel(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return `${rel.slice(0, slash + 1)}.${rel.slice(slash + 1)}${TEMP_SUFFIX}`;
}

/** Parses a final file name (no folder); null when it is not a shard name. */
export function parseShardFile(file: string): ShardName | null {
  const m = FILE_PATTERN.exec(file);
  if (!m) return null;
  const table = m[1] as TableName;
  const first = Number(m[3]);
  const last = m[4] === undefined ? first : Number(m[4]);
  if (last < first) return null;
  return { rel: `${table}/${file}`, table, worker: m[2]!, first, last, part: m[5] === undefined ? 0 : Number(m[5]), compacted: m[4] !== undefined };
}

/** Parses a temp file name (`.x.parquet.tmp`, no folder) to the shard it would become. */
export function parseTempFile(file: string): ShardName | null {
  if (!file.startsWith('.') || !file.endsWith(TEMP_SUFFIX)) return null;
  return parseShardFile(file.slice(1, -TEMP_SUFFIX.length));
}

/** Parses a relative final name as handed around by stage/publish/checkpoints; throws on anything else. */
export function parseShardRel(rel: string): ShardName {
  const slash = rel.indexOf('/');
  const parsed = slash > 0 ? parseShardFile(rel.slice(slash + 1)) : null;
  if (!parsed || parsed.rel !== rel) throw new ShardNameError(rel, `expected <table>/<table>-<worker>-<seq>.parquet with table one of ${TABLE_NAMES.join(', ')}`);
  return parsed;
}

/** Whether `outer` (a compaction) replaces `inner`: same table and worker, and inner's seqs inside outer's range. */
export function covers(outer: ShardName, inner: ShardName): boolean {
  return (
    outer.compacted &&
    outer.table === inner.table &&
    outer.worker === inner.worker &&
    outer.first <= inner.first &&
    inner.last <= outer.last &&
    !(outer.first === inner.first && outer.last === inner.last && inner.compacted)
  );
}
