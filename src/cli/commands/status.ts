import type { Command } from 'commander';
import { addRunOptions } from '../common.js';

interface StatusCli {
  run: string;
  data: string;
  redis?: string;
  redisCluster?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('status')
    .description("progress of a run across all its workers: done, pending, in flight, per-worker rate, hosts waiting on politeness");
  addRunOptions(cmd)
    .option('--redis <url>', "the run's Redis (a scale-out run); without it, the run folder's state.sqlite")
    .option('--redis-cluster', '--redis names one node of a Redis Cluster (a run collected with --redis-cluster)')
    .option('--json', 'print the status as one JSON object on stdout')
    .action(async (o: StatusCli) => {
      // Loaded on use, like collect: the other commands should not pay for ioredis.
      const { runStatus, formatStatus } = await import('../../collect/status/index.js');
      const status = await runStatus({ dataDir: o.data, runId: o.run, redis: o.redis, cluster: o.redisCluster === true });
      process.stdout.write(o.json ? `${JSON.stringify(status)}\n` : formatStatus(status));
      // The cheap integrity check (docs/check.md): the figures above count what the state says, not what is on disk.
      const { damageWarning } = await import('../../collect/check/index.js');
      const warning = await damageWarning({ dataDir: o.data, runId: o.run, redis: o.redis });
      if (warning) process.stderr.write(warning);
    });
}
