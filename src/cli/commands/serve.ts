import { Option, type Command } from 'commander';
import { ExitCode, parseIntOption, parseRunId, reportCliError } from '../common.js';

interface ServeCliOptions {
  run?: string[];
  warc?: string[];
  wacz?: string[];
  data: string;
  cache?: string;
  host: string;
  port: number;
  allowRemote?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const collectRunId = (value: string, previous: string[] = []): string[] => [...previous, parseRunId(value)];

/** `jarvix serve --run ID… [--warc PATH…] [--wacz FILE…]`: replay, CDX, Memento, timeline, diff and WACZ over HTTP. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('serve runs and WARC/ARC folders: Wayback-style replay, CDX and Memento APIs, timeline, diff, WACZ files')
    .addOption(new Option('--run <id>', 'a run to serve (repeatable)').argParser(collectRunId))
    .addOption(new Option('--warc <path>', 'a WARC/ARC file or folder not written by jarvix, indexed on start (repeatable)').argParser(collect))
    .addOption(new Option('--wacz <file>', 'a WACZ file served at /wacz/<name> with Range and CORS (repeatable)').argParser(collect))
    .option('--data <dir>', 'data directory holding runs/', './data')
    .option('--cache <dir>', 'where the capture index is kept (default <data>/cache/serve)')
    .option('--host <host>', 'address to listen on (loopback only unless --allow-remote)', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', parseIntOption('--port', 0, 65535), 8090)
    .option('--allow-remote', 'allow a --host that is not loopback: the archive is then open to the network')
    .addHelpText('after', '\nExamples:\n  jarvix serve --run shop\n  jarvix serve --run mon --run tue --warc ~/heritrix-out --port 8080\n  curl "http://127.0.0.1:8090/cdx?url=example.com&matchType=domain&output=json"\n')
    .action(async (o: ServeCliOptions) => {
      const runs = o.run ?? [];
      const warcs = o.warc ?? [];
      if (runs.length === 0 && warcs.length === 0 && (o.wacz ?? []).length === 0) {
        process.stderr.write('jarvix serve: give something to serve: --run ID, --warc PATH or --wacz FILE\n');
        process.exitCode = ExitCode.usage;
        return;
      }
      try {
        // The server's modules load only here, so `jarvix --help` stays fast.
        const { openArchive, startServer, resolveServeOptions } = await import('../../serve/index.js');
        const serveOptions = resolveServeOptions({ host: o.host, port: o.port, allowRemote: o.allowRemote === true });
        const { context, summary } = await openArchive({
          dataDir: o.data,
          runs,
          warcs,
          wacz: o.wacz ?? [],
          ...(o.cache ? { cacheDir: o.cache } : {}),
          onProgress: (e) => {
            if (e.indexed) process.stderr.write(`jarvix serve: indexed ${e.source} ${e.done}/${e.total}: ${e.file} (${e.captures} captures)\n`);
          },
          onProblem: (p) => process.stderr.write(`jarvix serve: ${p.source}: ${p.file}${p.offset === undefined ? '' : `:${p.offset}`}: ${p.message}\n`),
        });
        const running = await startServer(context, serveOptions);
        process.stdout.write(`jarvix serve: ${running.url}/ (${context.index.captureCount} captures from ${context.sources.length} sources; ${summary.filesIndexed} of ${summary.files} files indexed now)\n`);
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            void running.close().then(() => {
              context.index.close();
              resolve();
            });
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        process.exitCode = ExitCode.ok;
      } catch (err) {
        const code = (err as { code?: string }).code;
        process.exitCode = code === 'JVX_ERR_SERVE_NOT_LOOPBACK' || code === 'JVX_ERR_REPLAY_SOURCE' ? (reportCliError(err), ExitCode.usage) : reportCliError(err);
      }
    });
}
