/**
 * The bare-undici baseline against the synthetic web in its own process: the speed limit every
 * other figure is a ratio of. Prints one JSON object; throws when the work done is wrong.
 *   node --import tsx bench/baseline.ts [urls] [hosts] [concurrency] [latencyMs]
 */
import { runBaseline } from '../src/bench/baseline.js';

const [urls = 10_000, hosts = 1_000, concurrency = 100, latencyMs = 0] = process.argv.slice(2).map(Number);
const result = await runBaseline({ urls, hosts, concurrency, latencyMs, seed: 1 });
if (result.pages !== urls || result.failures !== 0) throw new Error(`baseline fetched ${result.pages}/${urls} pages, ${result.failures} failures`);
if (result.server.served !== urls) throw new Error(`server saw ${result.server.served} requests, expected ${urls}`);
if (result.decodedMB <= result.wireMB) throw new Error('pages were not decompressed');
process.stdout.write(`${JSON.stringify({ bench: 'baseline', ...result })}\n`);
