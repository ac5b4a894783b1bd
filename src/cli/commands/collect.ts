import type { Command } from 'commander';
import type { CollectSummary } from '../../collect/collector.js';
import type { CollectOptions } from '../../collect/options.js';
import { JarvixError } from '../../errors/index.js';
import { resolveBlockedPaths } from '../../policy/index.js';
import { resumeCommand } from '../resume-command.js';
import { addNetOptions, addRunOptions, ExitCode, parseIntOption, type NetCliOptions } from '../common.js';

export interface CollectCli extends NetCliOptions {
  run: string;
  data: string;
  input?: string;
  concurrent?: number;
  follow?: boolean;
  pageRequisites?: boolean;
  depth?: number;
  scope?: 'host' | 'domain' | 'any';
  allowDomain?: string[];
  denyDomain?: string[];
  allow?: string[];
  deny?: string[];
  blockedPaths?: string;
  blockPath?: string[];
  hostConcurrency?: number;
  delayMs?: number;
  robots: boolean;
  extract: boolean;
  maxAttempts?: number;
  maxBodyBytes?: number;
  checkpointEvery?: number;
  checkpointIntervalMs?: number;
  contactUrl?: string;
  worker?: string;
  progress?: 'auto' | 'bar' | 'lines' | 'none';
  redis?: string;
  redisCluster?: boolean;
  metricsPort?: number;
  logLevel?: string;
  logFile?: string;
  leaseMs?: number;
  redisWaitMs?: number;
  json?: boolean;
  fresh?: boolean;
  repair?: boolean;
}

const list = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addCollectOptions(cmd: Command, { runRequired = true } = {}): Command {
  addNetOptions(addRunOptions(cmd, { runRequired }));
  return cmd
    .option('--input <file>', "file of URLs, one per line ('-' reads stdin)")
    .option('--concurrent <n>', 'ceiling of concurrent fetches (the autoscaler stays at or below it)', parseIntOption('--concurrent', 1, 10_000))
    .option('--follow', 'follow links found on pages (a crawl instead of a list)')
    .option('--page-requisites', "also archive each page's stylesheets, scripts, images and fonts (not counted as pages)")
    .option('--depth <d>', 'link hops from a seed when following', parseIntOption('--depth', 0, 1000))
    .option('--scope <scope>', 'where --follow may go: host, domain or any', (v: string) => {
      if (!['host', 'domain', 'any'].includes(v)) throw new JarvixError('JVX_ERR_USAGE_SCOPE', `--scope expects host, domain or any, got ${JSON.stringify(v)}`);
      return v;
    })
    .option('--allow-domain <domain>', 'only fetch these domains (repeatable)', list)
    .option('--deny-domain <domain>', 'never fetch these domains (repeatable)', list)
    .option('--allow <pattern>', 'only follow URLs matching this pattern (repeatable)', list)
    .option('--deny <pattern>', 'never fetch URLs matching this pattern (repeatable)', list)
    .option('--blocked-paths <spec>', 'account paths never requested: default (/login, /auth, /account, /subscribe, /admin, /messages), none, or a policy FILE of path prefixes, one a line (a line `default` includes the built-in list)')
    .option('--block-path <path>', 'also never request this path prefix, e.g. /checkout (repeatable)', list)
    .option('--host-concurrency <n>', 'requests in flight per host (default 1)', parseIntOption('--host-concurrency', 1, 64))
    .option('--delay-ms <ms>', 'minimum gap between requests to one host (default 250; robots Crawl-delay raises it)', parseIntOption('--delay-ms', 0, 600_000))
    .option('--no-robots', 'ignore robots.txt (only for sites you own)')
    .option('--no-extract', 'skip extraction, chunking and scoring while collecting (run `curate` later)')
    .option('--max-attempts <n>', 'fetch attempts per URL for retryable failures (default 3)', parseIntOption('--max-attempts', 1, 100))
    .option('--max-body-bytes <n>', 'cap on received body bytes; longer bodies are truncated and marked', parseIntOption('--max-body-bytes', 1))
    .option('--checkpoint-every <n>', 'commit a checkpoint every N finished URLs (default 1000)', parseIntOption('--checkpoint-every', 1))
    .option('--checkpoint-interval-ms <ms>', 'commit a checkpoint at least this often (default 5000)', parseIntOption('--checkpoint-interval-ms', 10))
    .option('--contact-url <url>', 'contact URL put in the User-Agent')
    .option('--worker <id>', 'worker id (names this process’s WARC and Parquet shards; with --redis the default is <hostname>-<pid>: give a stable id to resume a crashed worker)')
    .option('--progress <mode>', 'auto, bar, lines or none')
    .option('--redis <url>', 'share the crawl through Redis with other workers: redis://[:password@]host:port/db or rediss:// (TLS)')
    .option('--redis-cluster', '--redis names one node of a Redis Cluster: the run is sharded by host over all its primaries (docs/scale-out.md)')
    .option('--redis-wait-ms <ms>', 'how long a Redis call waits before the worker reports a pause (it keeps waiting; default 5000)', parseIntOption('--redis-wait-ms', 100, 3_600_000))
    .option('--lease-ms <ms>', 'how long a leased URL stays with this worker before others may take it back (default 600000)', parseIntOption('--lease-ms', 1_000, 86_400_000))
    .option('--metrics-port <port>', 'serve Prometheus metrics at http://127.0.0.1:PORT/metrics while running', parseIntOption('--metrics-port', 0, 65_535))
    .option('--log-level <level>', 'structured JSON logs at this level (trace, debug, info, warn, error)')
    .option('--log-file <file>', 'write the structured JSON logs to FILE (default: stderr when --log-level is given)')
    .option('--fresh', 'start the run over: its old files are moved to RUN/.old-<time>/ first, never deleted')
    .option('--repair', 're-fetch exactly the URLs whose rows or archive records are missing or unreadable (see `jarvix check`)')
    .option('--json', 'print the final summary as JSON on stdout');
}

export function collectOptionsFrom(o: CollectCli): Partial<CollectOptions> {
  // Both only shape link following; without --follow they would be silently ignored.
  for (const [flag, given] of [['--depth', o.depth], ['--scope', o.scope]] as const) {
    if (given !== undefined && !o.follow) throw new JarvixError('JVX_ERR_USAGE_NEEDS_FOLLOW', `${flag} applies to link following: add --follow, or drop ${flag}`);
  }
  return {
    dataDir: o.data,
    runId: o.run,
    input: o.input,
    maxConcurrency: o.concurrent,
    follow: o.follow ?? false,
    pageRequisites: o.pageRequisites ?? false,
    maxDepth: o.depth,
    scope: o.scope,
    allowDomains: o.allowDomain,
    denyDomains: o.denyDomain,
    allowPatterns: o.allow,
    denyPatterns: o.deny,
    blockedPaths: resolveBlockedPaths(o.blockedPaths, o.blockPath),
    perHostConcurrency: o.hostConcurrency,
    hostDelayMs: o.delayMs,
    respectRobots: o.robots,
    extract: o.extract,
    maxAttempts: o.maxAttempts,
    maxBodyBytes: o.maxBodyBytes,
    checkpointEveryRecords: o.checkpointEvery,
    checkpointIntervalMs: o.checkpointIntervalMs,
    userAgent: o.userAgent,
    contactUrl: o.contactUrl,
    resolve: o.resolve ?? [],
    allowPrivate: o.allowPrivate ?? false,
    timeoutMs: o.timeoutMs,
    worker: o.worker,
    redis: o.redis,
    ...(o.redisCluster === true ? { redisCluster: true } : {}),
    leaseMs: o.leaseMs,
    redisWaitMs: o.redisWaitMs,
    progress: o.progress,
    fresh: o.fresh ?? false,
    repair: o.repair ?? false,
  };
}

/** Runs a collect with signal handling: first signal drains and checkpoints, second commits and exits. */
/** After the first signal, how long in-flight pages may finish before the collect stops as on a second signal. */
const DRAIN_MS = 10_000;

export interface ObserveCliOptions {
  metricsPort?: number;
  logLevel?: string;
  logFile?: string;
  /** The command that resumes this run, said on an interrupt (src/cli/resume-command.ts). */
  resume?: string;
}

export async function runCollect(options: Partial<CollectOptions>, observe: ObserveCliOptions = {}): Promise<CollectSummary> {
  // Loaded on use: `jarvix --help` and the other commands should not pay for the crawler.
  const { Collector } = await import('../../collect/collector.js');
  const collector = new Collector(options);
  // Metrics, traces (when OTEL_* says so) and logs subscribe to the core's diagnostics channels,
  // only when something consumes them: with no subscriber, publishing costs a boolean check.
  const { startObservability, otlpTracesUrl } = await import('../../observe/index.js');
  const wanted = observe.metricsPort !== undefined || observe.logLevel !== undefined || observe.logFile !== undefined || otlpTracesUrl(process.env) !== undefined;
  const observability = wanted
    ? await startObservability({
        serviceName: 'jarvix',
        runId: collector.opts.runId,
        worker: collector.opts.worker,
        ...(observe.metricsPort === undefined ? {} : { metricsPort: observe.metricsPort }),
        ...(observe.logLevel === undefined ? {} : { logLevel: observe.logLevel }),
        ...(observe.logFile === undefined ? {} : { logFile: observe.logFile }),
      })
    : undefined;
  if (observability?.metricsUrl) process.stderr.write(`jarvix: metrics at ${observability.metricsUrl}\n`);
  let signals = 0;
  let drainTimer: NodeJS.Timeout | undefined;
  const exitNow = (why: string): void => {
    process.stderr.write(why);
    void collector.abort().then((r) => {
      process.stderr.write(r.committed ? 'jarvix: finished pages committed; exiting\n' : `jarvix: ${r.problem} [JVX_ERR_COLLECT_CHECKPOINT_UNCOMMITTED]\n`);
      if (observe.resume) process.stderr.write(`jarvix: resume with: ${observe.resume}\n`);
      process.exit(ExitCode.failed);
    });
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      process.stderr.write(`\njarvix: ${sig}: finishing in-flight pages and checkpointing (again to stop at once; at most ${DRAIN_MS / 1000} s)${observe.resume ? `; resume with: ${observe.resume}` : ''}\n`);
      collector.stop();
      // One signal ends the process in bounded time in every state (a fetch stuck until its timeout,
      // Redis away): past the drain limit, it goes on as a second signal would.
      drainTimer = setTimeout(() => exitNow(`jarvix: still stopping after ${DRAIN_MS / 1000} s: committing finished pages and exiting; in-flight pages are re-fetched on resume\n`), DRAIN_MS);
    } else if (signals === 2) {
      clearTimeout(drainTimer);
      exitNow(`\njarvix: ${sig}: committing finished pages and exiting; in-flight pages are re-fetched on resume\n`);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await collector.run();
  } finally {
    clearTimeout(drainTimer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await observability?.close();
  }
}

export function printSummary(summary: CollectSummary, json: boolean, resume?: string): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const c = summary.counts;
  const s = summary.session;
  const lat = (v: number | null): string => (v === null ? '-' : `${Math.round(v)} ms`);
  process.stderr.write(
    `run ${summary.run}${summary.interrupted ? ` (interrupted: resume with: ${resume ?? 'the same command'})` : ''}\n` +
      `  pages ${c.pages}: fetched ${c.fetched}, failed ${c.failed}, refused ${c.refused} (robots ${c.robots_blocked}); dead letters ${c.errors}\n` +
      `  this session: ${(s.durationMs / 1000).toFixed(1)} s, ${s.pagesPerSecond.toFixed(1)} pages/s, ${s.requests} requests, ${s.retries} retries, ` +
      `latency p50 ${lat(s.latencyMs.p50)} p95 ${lat(s.latencyMs.p95)} p99 ${lat(s.latencyMs.p99)}\n`,
  );
}

/**
 * An --input with no crawlable URL (empty, comments only, every line refused) is a mistake: say so.
 * When the run has nothing at all either, exit 2 (bad usage) rather than 0 with "pages 0"; a resumed
 * run that did work keeps its own exit code, with the warning.
 */
export function emptyInput(summary: CollectSummary): boolean {
  const input = summary.input;
  if (input === undefined || input.urls > 0) return false;
  const name = input.source === '-' ? 'stdin' : input.source;
  const what = input.lines === 0 ? 'it is empty' : `all ${input.lines} ${input.lines === 1 ? 'line is' : 'lines are'} invalid (see the messages above)`;
  process.stderr.write(`jarvix: warning: no URL to fetch in ${name}: ${what}\n`);
  return summary.counts.pages === 0;
}

export function exitCodeFor(summary: CollectSummary): number {
  if (emptyInput(summary)) return ExitCode.usage;
  if (summary.interrupted) return ExitCode.failed;
  return summary.counts.failed > 0 ? ExitCode.partial : ExitCode.ok;
}

export function register(program: Command): void {
  const cmd = program
    .command('collect')
    .description('fetch, archive, extract, score and write the dataset; resumes if the run exists');
  addCollectOptions(cmd).action(async (o: CollectCli) => {
    const resume = resumeCommand(process.argv.slice(2), o.run);
    const summary = await runCollect(collectOptionsFrom(o), { ...o, resume });
    printSummary(summary, o.json ?? false, resume);
    process.exitCode = exitCodeFor(summary);
  });
}
