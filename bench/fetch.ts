/**
 * The fetch path against bare undici `request()` on the same loopback server, same socket budget.
 *   node --import tsx bench/fetch.ts [--n 20000] [--concurrency 64] [--body-bytes 16384]
 * Prints one JSON object. Throws if any response is wrong (status, length, sha1), so a fast wrong
 * answer cannot pass. The server runs in a child process so it does not share our event loop.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request } from 'undici';
import { createFetcher } from '../src/fetch/index.js';
import { createAgent } from '../src/net/index.js';
import { numberArg } from '../src/bench/args.js';

const arg = numberArg;
const n = arg('n', 20_000);
const concurrency = arg('concurrency', 64);
const bodyBytes = arg('body-bytes', 16_384);
const body = Buffer.alloc(bodyBytes, '<p>jarvix bench body</p>\n');
const bodySha1 = createHash('sha1').update(body).digest('hex');

const serverCode = `
const http = require('node:http');
const body = Buffer.alloc(${bodyBytes}, '<p>jarvix bench body</p>\\n');
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html', 'content-length': body.length }); res.end(body); });
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

async function startServer(): Promise<{ port: number; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', serverCode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { port: Number(chunk.toString().trim()), stop: () => child.kill() };
}

async function drive(label: string, one: (i: number) => Promise<void>): Promise<{ label: string; pagesPerSec: number; p50Ms: number; p99Ms: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await one(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (latencies.length !== n) throw new Error(`${label}: ${latencies.length} of ${n} requests done`);
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number => Math.round(latencies[Math.min(n - 1, Math.floor(n * p))]! * 100) / 100;
  return { label, pagesPerSec: Math.round(n / seconds), p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

const server = await startServer();
const origin = `http://127.0.0.1:${server.port}`;
try {
  const bare = new Agent({ connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const ours = createAgent({ allowPrivate: true, connectionsPerOrigin: concurrency });
  const fetcher = createFetcher(ours, { userAgent: 'jarvix-bench', headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, totalTimeoutMs: 30_000, maxBodyBytes: 10 * 1024 * 1024 });

  const baseline = (i: number): Promise<void> =>
    request(`${origin}/p/${i}`, { dispatcher: bare, headers: { 'user-agent': 'bench', 'accept-encoding': 'gzip, deflate, br' } }).then(async (res) => {
      const buf = Buffer.from(await res.body.arrayBuffer());
      if (res.statusCode !== 200 || buf.length !== bodyBytes) throw new Error(`baseline: bad response ${res.statusCode} ${buf.length}`);
    });
  const jarvix = async (i: number): Promise<void> => {
    const res = await fetcher.fetch(`${origin}/p/${i}`);
    const ex = res.exchanges[0];
    if (res.status !== 200 || res.error || !ex || ex.body.sha1.toString('hex') !== bodySha1 || ex.requestHead.length === 0) {
      throw new Error(`jarvix: bad response ${res.status} ${res.error?.code}`);
    }
    await ex.body.dispose();
  };

  // warm both (connections, JIT), then alternate so neither always runs on a cooler machine
  await drive('warm', (i) => baseline(i));
  await drive('warm', (i) => jarvix(i));
  const runs = { baseline: [] as Awaited<ReturnType<typeof drive>>[], jarvix: [] as Awaited<ReturnType<typeof drive>>[] };
  for (let round = 0; round < 2; round++) {
    runs.baseline.push(await drive('baseline', baseline));
    runs.jarvix.push(await drive('jarvix', jarvix));
  }
  const best = (rs: Awaited<ReturnType<typeof drive>>[]) => rs.reduce((a, b) => (b.pagesPerSec > a.pagesPerSec ? b : a));
  const b = best(runs.baseline);
  const j = best(runs.jarvix);
  await bare.close();
  await ours.close();
  process.stdout.write(
    `${JSON.stringify({
      bench: 'fetch',
      n,
      concurrency,
      bodyBytes,
      baseline: { pagesPerSec: b.pagesPerSec, p50Ms: b.p50Ms, p99Ms: b.p99Ms },
      jarvix: { pagesPerSec: j.pagesPerSec, p50Ms: j.p50Ms, p99Ms: j.p99Ms },
      ratio: Math.round((j.pagesPerSec / b.pagesPerSec) * 100) / 100,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    })}\n`,
  );
} finally {
  server.stop();
}
