// Extraction benchmark: `node --import tsx bench/extract.ts [--pages N] [--rounds R]`
// 1. extractPage MB/s on one thread over synthetic pages rendered in-process, against the
//    baseline of htmlparser2 alone (the same decoded HTML, an empty handler): the cost of
//    everything we do on top of tokenizing. Also the whole per-page stage (extract + chunk + score).
// 2. StagePool throughput with 1 and 2 worker threads (and 2 threads without batching), with
//    the ratio. Checks its own work: every page comes back, no dead letters, and the pool's
//    results equal the in-process ones.
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Parser } from 'htmlparser2';
import { extractPage } from '../src/extract/index.js';
import { analysePage, resolveStageSettings, StagePool, type StageInput } from '../src/stages/index.js';
import { resolveTestWebOptions } from '../src/testweb/index.js';
import { WebModel } from '../src/testweb/model.js';
import { Renderer } from '../src/testweb/render.js';

const { values: args } = parseArgs({ options: { pages: { type: 'string', default: '1500' }, rounds: { type: 'string', default: '3' } } });
const PAGES = Number(args.pages);
const ROUNDS = Number(args.rounds);

const model = new WebModel(resolveTestWebOptions({ seed: 42, hosts: 100, pagesPerHost: Math.ceil(PAGES / 100) + 1, faults: 0 }));
const renderer = new Renderer(model);
const inputs: StageInput[] = [];
for (let i = 0; inputs.length < PAGES; i++) {
  const plan = model.page(i % 100, Math.floor(i / 100));
  if (plan.kind === 'pdf' || plan.kind === 'json') continue;
  const { body, contentType } = renderer.page(plan, null);
  inputs.push({ url: plan.url, body, contentType, status: 200, errorCode: null, attempts: 1 });
}
const totalBytes = inputs.reduce((n, i) => n + i.body.length, 0);
const mb = totalBytes / 1e6;

function best(fn: () => void): number {
  fn(); // warm-up
  let min = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min / 1000;
}

const decoded = inputs.map((i) => new TextDecoder().decode(i.body));
const tokenizeSec = best(() => {
  for (const html of decoded) {
    const p = new Parser({}, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
    p.end(html);
  }
});
let words = 0;
const extractSec = best(() => {
  words = 0;
  for (const i of inputs) words += extractPage({ url: i.url, body: i.body, contentType: i.contentType, status: i.status }).wordCount;
});
if (words === 0) throw new Error('extraction found no words');
const settings = resolveStageSettings();
const stageSec = best(() => {
  for (const i of inputs) if (analysePage(i, settings).deadLetter) throw new Error(`dead letter for ${i.url}`);
});

interface PoolFigures {
  pagesPerSec: number;
  mbPerSec: number;
  /** Pages per second of process CPU (main + workers): independent of other load on the machine. */
  pagesPerCpuSec: number;
  /** Other processes share the cores: CPU this run got / (wall x threads+1). */
  cpuShare: number;
  batches: number;
}

async function poolRun(threads: number, batchMaxPages: number): Promise<PoolFigures> {
  const pool = new StagePool({ threads, batchMaxPages, maxQueue: 64 });
  try {
    // Start the workers (and their TypeScript loader) before timing.
    await Promise.all(inputs.slice(0, threads * 4).map((i) => pool.process(i)));
    const before = pool.stats().batches;
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    const results = await Promise.all(inputs.map((i) => pool.process(i)));
    const sec = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    if (results.length !== inputs.length) throw new Error(`pool returned ${results.length} of ${inputs.length}`);
    const dead = results.filter((r) => r.deadLetter).length;
    if (dead > 0) throw new Error(`${dead} dead letters`);
    for (const k of [0, Math.floor(inputs.length / 2), inputs.length - 1]) {
      if (JSON.stringify(results[k]) !== JSON.stringify(analysePage(inputs[k]!, settings))) throw new Error(`pool result ${k} differs from in-process`);
    }
    return {
      pagesPerSec: Math.round(inputs.length / sec),
      mbPerSec: round(mb / sec),
      pagesPerCpuSec: Math.round(inputs.length / cpuSec),
      cpuShare: round(cpuSec / (sec * Math.min(availableParallelism(), threads + 1))),
      batches: pool.stats().batches - before,
    };
  } finally {
    await pool.close();
  }
}

const one = await poolRun(1, 16);
const two = await poolRun(2, 16);
const twoUnbatched = await poolRun(2, 1);

console.log(JSON.stringify({
  bench: 'extract',
  pages: inputs.length,
  cores: availableParallelism(),
  loadAvg1m: round(loadavg()[0]!),
  htmlMB: round(mb),
  avgPageKB: round(totalBytes / inputs.length / 1024),
  singleThread: {
    tokenizerOnlyMBps: round(mb / tokenizeSec),
    extractMBps: round(mb / extractSec),
    extractVsTokenizer: round(tokenizeSec / extractSec),
    stagesMBps: round(mb / stageSec),
    stagesPagesPerSec: Math.round(inputs.length / stageSec),
  },
  pool: {
    threads1: one,
    threads2: two,
    speedup2vs1: round(two.pagesPerSec / one.pagesPerSec),
    threads2NoBatching: twoUnbatched,
    batchingGain: round(two.pagesPerSec / twoUnbatched.pagesPerSec),
  },
}));

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
