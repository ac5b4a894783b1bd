import { runPaths } from '../../run/index.js';
import { redisClusterRunStatus } from './redis-cluster-status.js';
import { redisRunStatus } from './redis-status.js';
import type { RunStatus } from './run-status.js';
import { sqliteRunStatus } from './sqlite-status.js';

export { formatStatus, StatusRunNotFoundError, RATE_WINDOW_MS } from './run-status.js';
export type { RunStatus, WorkerStatus } from './run-status.js';

/** `jarvix status`: from the run's Redis when given, else from the run folder's state.sqlite. */
export function runStatus(o: { dataDir: string; runId: string; redis?: string | undefined; cluster?: boolean; now?: number }): Promise<RunStatus> {
  const now = o.now ?? Date.now();
  if (o.redis !== undefined) return o.cluster === true ? redisClusterRunStatus(o.redis, o.runId, now) : redisRunStatus(o.redis, o.runId, now);
  return sqliteRunStatus(runPaths(o.dataDir, o.runId).state, o.runId, now);
}
