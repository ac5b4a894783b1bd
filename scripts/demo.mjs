#!/usr/bin/env node
/**
 * `npm run demo`: the main job on the synthetic web. Starts `jarvix testweb` in its own process,
 * writes 500 seed URLs, runs `jarvix collect` into ./data/runs/demo (WARC, CDXJ, Parquet, state),
 * then asks the dataset a few questions with `jarvix query`. Run it again to start over.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestWebProcess } from '../dist/bench/testweb-process.js';
import { seedUrlStream } from '../dist/testweb/index.js';
import { WebModel } from '../dist/testweb/model.js';
import { resolveTestWebOptions } from '../dist/testweb/options.js';

const bin = fileURLToPath(new URL('../bin/jarvix.js', import.meta.url));
const web = { hosts: 50, pagesPerHost: 200, latencyMs: 50, faults: 0.05, seed: 1 };
/** POSIX shell quoting, so every printed command can be pasted as is (a ' inside becomes '\''). */
const shellQuote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`);
// `npx jarvix`: in this folder npx runs the project's own bin; `jarvix` alone is not on PATH.
const jarvix = (...args) => {
  process.stdout.write(`\n$ npx jarvix ${args.map(shellQuote).join(' ')}\n`);
  return spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' }).status;
};

const server = await startTestWebProcess(web);
try {
  rmSync('data/runs/demo', { recursive: true, force: true });
  mkdirSync('data', { recursive: true });
  const urls = [...seedUrlStream(new WebModel(resolveTestWebOptions({ hosts: web.hosts, pagesPerHost: web.pagesPerHost, seed: web.seed })), 500)];
  writeFileSync('data/demo-seeds.txt', `${urls.join('\n')}\n`);
  process.stdout.write(`synthetic web: ${web.hosts} hosts on 127.0.0.1:${server.port} (5% of pages misbehave on purpose)\n`);
  const code = jarvix('collect', '--run', 'demo', '--input', 'data/demo-seeds.txt', '--resolve', server.resolveRule, '--allow-private', '--timeout-ms', '5000', '--progress', 'lines');
  if (code !== 0 && code !== 3) process.exitCode = code ?? 1;
  else {
    jarvix('query', '--run', 'demo', 'SELECT action, count(*) AS pages, round(avg(score), 1) AS avg_score FROM pages WHERE score IS NOT NULL GROUP BY 1 ORDER BY 2 DESC');
    jarvix('query', '--run', 'demo', 'SELECT title, price, currency, score, action FROM pages ORDER BY score DESC NULLS LAST LIMIT 5');
    jarvix('query', '--run', 'demo', "SELECT coalesce(error_code, 'ok') AS outcome, count(*) AS n FROM pages GROUP BY 1 ORDER BY 2 DESC");
    process.stdout.write('\nThe run is in data/runs/demo: warc/ (WARC 1.1), index/ (CDXJ), pages/ links/ chunks/ errors/ (Parquet).\n');
    process.stdout.write(
      `The queries above can be pasted as they are. The synthetic web stopped with the demo: to run the collect again, start it in\n` +
        `another terminal with \`npx jarvix testweb --hosts ${web.hosts} --pages ${web.pagesPerHost} --latency-ms ${web.latencyMs} --faults ${web.faults} --port ${server.port}\`.\n`,
    );
  }
} finally {
  await server.stop();
}
