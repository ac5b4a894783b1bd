import { spawn } from 'node:child_process';
import { once } from 'node:events';

// Runs in its own process so that receiving spans does not count against the process measured.
const RECEIVER = `
let posts = 0, bytes = 0;
const s = require('node:http').createServer((req, res) => { req.on('data', (c) => bytes += c.length); req.on('end', () => { posts++; res.writeHead(200, {'content-type':'application/json'}).end('{}'); }); });
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
process.on('message', () => process.send({ posts, bytes }));
`;

export interface OtlpReceiver {
  /** Base URL (`http://127.0.0.1:PORT`); OTLP/HTTP traces go to `${url}/v1/traces`. */
  readonly url: string;
  /** POSTs and body bytes received so far. */
  counts(): Promise<{ posts: number; bytes: number }>;
  stop(): void;
}

/** An OTLP/HTTP endpoint on loopback for benchmarks: accepts anything, answers 200, counts. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return {
    url: `http://127.0.0.1:${chunk.toString().trim()}`,
    counts: async () => {
      child.send('counts');
      const [m] = (await once(child, 'message')) as [{ posts: number; bytes: number }];
      return m;
    },
    stop: () => void child.kill(),
  };
}

// GETs a URL every `ms` milliseconds, as Prometheus would, from its own process.
const SCRAPER = `
const [url, ms] = process.argv.slice(1);
let scrapes = 0, bytes = 0, failures = 0;
const tick = async () => { try { const r = await fetch(url); bytes += (await r.text()).length; scrapes++; } catch { failures++; } };
const t = setInterval(tick, Number(ms));
process.on('message', () => { clearInterval(t); process.send({ scrapes, bytes, failures }); });
process.stdout.write('ready\\n');
`;

export interface Scraper {
  /** Stops scraping; returns how many scrapes succeeded and failed. */
  stop(): Promise<{ scrapes: number; bytes: number; failures: number }>;
}

/** Scrapes `url` every `intervalMs` from another process, so the scrape client costs the measured process nothing. */
export async function startScraper(url: string, intervalMs: number): Promise<Scraper> {
  const child = spawn(process.execPath, ['-e', SCRAPER, url, String(intervalMs)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  await once(child.stdout!, 'data');
  return {
    stop: async () => {
      child.send('stop');
      const [m] = (await once(child, 'message')) as [{ scrapes: number; bytes: number; failures: number }];
      child.kill();
      return m;
    },
  };
}
