import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { QueryOutputClosedError } from '../../query/errors.js';
import { put } from '../../query/output/sink.js';
import { runPaths, type RunPaths } from '../../run/run-paths.js';
import { verifyWacz } from '../../wacz/index.js';
import {
  RunIndex,
  WarcNotFoundError,
  WarcReader,
  WarcRunNotFoundError,
  cdxjEntriesOf,
  formatCdxj,
  httpPayload,
  readRecordAt,
  verifyWarc,
  writeCdxjFor,
  type Anomalies,
  type CdxjEntry,
  type WarcRecord,
} from '../../warc/index.js';
import { cdxjNameFor, isWarcFileName } from '../../warc/file-names.js';
import { readLines, sortLines } from '../../warc/line-files.js';
import { parseWarcDate } from '../../warc/warc-date.js';
import { ExitCode, addRunOptions, parseIntOption, reportCliError } from '../common.js';


async function withOutput(path: string | undefined, fn: (out: Writable) => Promise<void>): Promise<void> {
  if (!path) return fn(process.stdout);
  const out = createWriteStream(path);
  await fn(out);
  out.end();
  await once(out, 'finish');
}

/** Runs an action, turning errors into a message and exit code (the CLI's convention). */
function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = (await fn(...args)) ?? ExitCode.ok;
    } catch (err) {
      // The reader of stdout went away (`| head`): it has what it wanted, so this is a quiet success.
      process.exitCode = err instanceof QueryOutputClosedError ? ExitCode.ok : reportCliError(err);
    }
  };
}

async function writeRawRecord(out: Writable, rec: WarcRecord): Promise<void> {
  let head = `${rec.version}\r\n`;
  for (const [k, v] of rec.headers.pairs) head += `${k}: ${v}\r\n`;
  await put(out, Buffer.from(`${head}\r\n`, 'utf8'));
  for await (const c of rec.blockChunks()) await put(out, c);
  await put(out, '\r\n\r\n');
}

/** The folders of an existing run; a run that does not exist is said so, not "no archived record". */
async function existingRun(data: string, run: string): Promise<RunPaths> {
  const paths = runPaths(data, run);
  if (!(await stat(paths.root).catch(() => null))?.isDirectory()) throw new WarcRunNotFoundError(run, paths.root);
  return paths;
}

async function indexCommand(files: string[], o: { run?: string; data: string; output?: string }): Promise<number> {
  if (o.run) {
    const paths = await existingRun(o.data, o.run);
    await mkdir(paths.indexDir, { recursive: true });
    const names = (await readdir(paths.warcDir)).filter(isWarcFileName).sort();
    let entries = 0;
    for (const name of names) entries += await writeCdxjFor(join(paths.warcDir, name), join(paths.indexDir, cdxjNameFor(name)), name);
    process.stderr.write(`indexed ${names.length} WARC files, ${entries} CDXJ lines into ${paths.indexDir}\n`);
    return ExitCode.ok;
  }
  if (files.length === 0) {
    process.stderr.write('jarvix warc index: give WARC files or --run ID\n');
    return ExitCode.usage;
  }
  const tmp = await mkdtemp(join(tmpdir(), 'jarvix-cdxj-'));
  try {
    const sorted = join(tmp, 'sorted.cdxj');
    await sortLines(
      (async function* () {
        for (const f of files) for await (const e of cdxjEntriesOf(f, { anomalies: (a) => reportAnomalies(f, a) })) yield formatCdxj(e);
      })(),
      sorted,
    );
    await withOutput(o.output, async (out) => {
      for await (const line of readLines(sorted)) await put(out, `${line}\n`);
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return ExitCode.ok;
}

/** What the lenient reader worked around or could not read, on stderr: never dropped silently. */
function reportAnomalies(file: string, a: Anomalies): void {
  if (a.total === 0) return;
  for (const e of a.events) process.stderr.write(`${file}:${e.offset}: ${e.code}: ${e.detail}\n`);
  if (a.total > a.events.length) process.stderr.write(`${file}: ${a.total - a.events.length} more anomalies\n`);
  process.stderr.write(`${file}: ${JSON.stringify(a.counts)}\n`);
}

async function getCommand(url: string, o: { run: string; data: string; at?: string; output?: string; body?: boolean }): Promise<number> {
  const paths = await existingRun(o.data, o.run);
  const index = await RunIndex.open(paths.indexDir);
  try {
    const hit = index.lookup(url, o.at);
    if (!hit) throw new WarcNotFoundError(url);
    if (!o.body) {
      const reader = new WarcReader(join(paths.warcDir, hit.filename), { offset: hit.offset, maxRecords: 1, strictStart: true });
      await withOutput(o.output, async (out) => {
        for await (const rec of reader.records()) await writeRawRecord(out, rec);
      });
      return ExitCode.ok;
    }
    let rec = await readRecordAt(join(paths.warcDir, hit.filename), hit.offset);
    if (rec.type === 'revisit') {
      const source = original(index, hit, rec.headers.get('WARC-Refers-To-Target-URI') ?? hit.url, rec.headers.get('WARC-Refers-To-Date'));
      if (source) rec = await readRecordAt(join(paths.warcDir, source.filename), source.offset);
    }
    const { payload } = await httpPayload(rec.block);
    await withOutput(o.output, (out) => put(out, payload));
    return ExitCode.ok;
  } finally {
    index.close();
  }
}

/** A revisit has no payload: the capture it refers to (same digest, nearest the referred date) does. */
function original(index: RunIndex, revisit: CdxjEntry, uri: string, date: string | undefined): CdxjEntry | undefined {
  const same = index.captures(uri).filter((e) => e.mime !== 'warc/revisit' && e.digest === revisit.digest);
  const target = parseWarcDate(date) ?? 0;
  return same.sort((a, b) => Math.abs((parseWarcDate(a.timestamp) ?? 0) - target) - Math.abs((parseWarcDate(b.timestamp) ?? 0) - target))[0];
}

async function catCommand(files: string[], o: { offset?: number }): Promise<number> {
  if (o.offset !== undefined) {
    const reader = new WarcReader(files[0]!, { offset: o.offset, maxRecords: 1, strictStart: true });
    for await (const rec of reader.records()) await writeRawRecord(process.stdout, rec);
    return ExitCode.ok;
  }
  for (const file of files) {
    const reader = new WarcReader(file);
    for await (const rec of reader.records()) {
      await rec.done();
      const line = { file: basename(file), type: rec.type, uri: rec.targetUri ?? null, date: rec.date ?? null, offset: rec.offset, length: rec.length };
      await put(process.stdout, `${JSON.stringify(line)}\n`);
    }
    if (reader.anomalies.total > 0) process.stderr.write(`${file}: ${JSON.stringify(reader.anomalies.counts)}\n`);
  }
  return ExitCode.ok;
}

async function verifyCommand(files: string[]): Promise<number> {
  let bad = 0;
  for (const file of files) {
    if (file.toLowerCase().endsWith('.wacz')) {
      const { resources, indexLines, problems } = await verifyWacz(file);
      for (const p of problems) await put(process.stdout, `${file}: ${p.resource}: ${p.problem} [${p.code}]\n`);
      if (problems.length > 0) bad++;
      else process.stderr.write(`${file}: ok, ${resources} resources, ${indexLines} index lines\n`);
      continue;
    }
    const { records, problems } = await verifyWarc(file);
    for (const p of problems) await put(process.stdout, `${p.file}:${p.offset}: ${p.problem} [${p.code}]\n`);
    if (problems.length > 0) bad++;
    else process.stderr.write(`${file}: ok, ${records} records\n`);
  }
  return bad > 0 ? ExitCode.failed : ExitCode.ok;
}

export function register(program: Command): void {
  const warc = program.command('warc').description('archive tools: build CDXJ, fetch one record by URL, list, validate');

  addRunOptions(
    warc
      .command('index')
      .description('print the sorted CDXJ of WARC files (or -o FILE); with --run, rebuild index/*.cdxj of the whole run')
      .argument('[file...]', 'WARC files (.warc, .warc.gz)')
      .option('-o, --output <file>', 'write the CDXJ here instead of stdout'),
    { runRequired: false },
  ).action(action((files: string[], o: { run?: string; data: string; output?: string }) => indexCommand(files, o)));

  addRunOptions(
    warc
      .command('get')
      .description('print the archived record of URL nearest to --at (the latest without it)')
      .argument('<url>', 'the URL as fetched')
      .option('--at <timestamp>', 'a time: 14-digit timestamp or ISO date')
      .option('--output <file>', 'write to FILE instead of stdout')
      .option('--body', 'only the HTTP payload, decoded (de-chunked, gunzipped...)'),
  ).action(action((url: string, o: { run: string; data: string; at?: string; output?: string; body?: boolean }) => getCommand(url, o)));

  warc
    .command('cat')
    .description('list records as JSON lines (type, uri, date, offset, length), or print the record at --offset')
    .argument('<file...>', 'WARC files')
    .addOption(new Option('--offset <n>', 'print the raw record starting at this offset (first file)').argParser(parseIntOption('--offset', 0)))
    .action(action((files: string[], o: { offset?: number }) => catCommand(files, o)));

  warc
    .command('verify')
    .description('check every record: structure, Content-Length, gzip members, block and payload digests; a .wacz: ZIP, hashes, digest file, index; exit 1 with one line per problem')
    .argument('<file...>', 'WARC or WACZ files')
    .action(action((files: string[]) => verifyCommand(files)));
}
