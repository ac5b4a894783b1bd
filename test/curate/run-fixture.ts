import { createServer, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { Writable } from 'node:stream';
import { Collector } from '../../src/collect/collector.js';
import { parseResolveRule } from '../../src/net/index.js';
import { openRunDatabase } from '../../src/query/index.js';
import { register as registerCurate } from '../../src/cli/commands/curate.js';
import { register as registerScore } from '../../src/cli/commands/score.js';

/** Collects `urls` into DIR/runs/ID (extraction on or off), quickly: no delays, small checkpoints. */
export async function collectRun(dataDir: string, runId: string, urls: readonly string[], o: { resolveRule?: string; extract?: boolean } = {}): Promise<void> {
  const input = join(dataDir, `${runId}.txt`);
  await writeFile(input, urls.join('\n'));
  const summary = await new Collector({
    dataDir,
    runId,
    input,
    resolve: o.resolveRule ? [parseResolveRule(o.resolveRule)] : [],
    allowPrivate: true,
    hostDelayMs: 0,
    perHostConcurrency: 4,
    maxConcurrency: 16,
    timeoutMs: 5_000,
    progress: 'none',
    checkpointEveryRecords: 15,
    extract: o.extract ?? true,
    extractThreads: 1,
  }).run();
  if (summary.interrupted) throw new Error(`collect of ${runId} was interrupted`);
}

export interface Snapshot {
  pages: Map<string, Record<string, unknown>>;
  links: string[];
  chunks: string[];
  /** Errors without their time (re-derived dead letters get a new one). */
  errors: string[];
}

/** Every row of the four tables, keyed or sorted so two snapshots compare with toEqual. */
export async function snapshot(runDir: string): Promise<Snapshot> {
  const db = await openRunDatabase(runDir, { threads: 1 });
  try {
    const pages = new Map<string, Record<string, unknown>>();
    for (const row of await db.query('SELECT * FROM pages ORDER BY url')) {
      const url = row.url as string;
      if (pages.has(url)) throw new Error(`${url} appears twice in pages`);
      pages.set(url, row);
    }
    const lines = async (sql: string): Promise<string[]> => (await db.query(sql)).map((r) => JSON.stringify(r));
    return {
      pages,
      links: await lines('SELECT src_url, dst_url, anchor_text, rel, nofollow FROM links ORDER BY ALL'),
      chunks: await lines('SELECT url, chunk_index, text, char_start, char_end, token_count, sha1 FROM chunks ORDER BY ALL'),
      errors: await lines('SELECT url, stage, error_code, message, attempts FROM errors ORDER BY ALL'),
    };
  } finally {
    await db.close();
  }
}

export interface CliRun {
  code: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `jarvix curate|score …` in-process through the command's own `register`. */
export async function runCommand(args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  let code: number | undefined;
  const sink = (add: (s: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        add(chunk.toString());
        done();
      },
    });
  const io = { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), setExitCode: (c: number) => (code = c) };
  const program = new Command().exitOverride();
  registerCurate(program, io);
  registerScore(program, io);
  await program.parseAsync(args, { from: 'user' });
  return { code, stdout, stderr };
}

/**
 * A loopback site that exercises what the synthetic web does not: two URLs with the same body (the
 * second is archived as a revisit), a gzip-encoded page, and one whose gzip is broken (a decode
 * dead letter).
 */
export async function startOddSite(): Promise<{ urls: string[]; close: () => Promise<void> }> {
  const html = (title: string, extra = ''): string =>
    `<!doctype html><html lang="en"><head><title>${title}</title><meta name="description" content="A page about ${title} for curate tests, long enough to count."></head>` +
    `<body><nav><a href="/a">A</a></nav><main><h1>${title}</h1><p>${'Buy this fine product now. It ships today and costs little. '.repeat(20)}</p>` +
    `<p>Price: $19.99</p><a href="/b" rel="nofollow">b</a><a href="https://example.com/x">out</a>${extra}</main></body></html>`;
  const same = html('Same body');
  const server: Server = createServer((req, res) => {
    if (req.url === '/robots.txt') return void res.writeHead(404).end();
    if (req.url === '/a' || req.url === '/b') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(same);
    if (req.url === '/gz') return void res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync(html('Gzipped')));
    if (req.url === '/bad-gz') return void res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(Buffer.from('definitely not gzip'));
    if (req.url === '/data.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}');
    res.writeHead(404, { 'content-type': 'text/html' }).end('<title>Not found</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    urls: ['/a', '/b', '/gz', '/bad-gz', '/data.json', '/missing'].map((p) => base + p),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
