import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { vertexName } from './builder.js';
import type { StoredGraph } from './graph-file.js';
import type { GraphLevel } from './levels.js';

/** A gzip text file from lines produced in batches; temp name then rename. */
async function writeGzipLines(path: string, lines: () => Generator<string>): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const gzip = createGzip();
  const done = pipeline(gzip, createWriteStream(temp));
  try {
    let buffer = '';
    for (const line of lines()) {
      buffer += line;
      if (buffer.length >= 1 << 16) {
        if (!gzip.write(buffer)) await once(gzip, 'drain');
        buffer = '';
      }
    }
    gzip.end(buffer);
    await done;
    await rename(temp, path);
  } catch (err) {
    gzip.destroy();
    await done.catch(() => {});
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * Common Crawl's webgraph text files, so their tools (cc-webgraph, WebGraph's ArcListASCIIGraph)
 * read ours: `vertices.txt.gz` (id, reversed name[, n_hosts] tab-separated, sorted by name, which
 * our ids already are), `edges.txt.gz` (from_id, to_id, sorted numerically), and `ranks.txt.gz`
 * with their header `#harmonicc_pos #harmonicc_val #pr_pos #pr_val #host_rev[ #n_hosts]`, sorted
 * by harmonic position. At page level the name column holds the URL.
 */
export async function writeCommonCrawl(dir: string, level: GraphLevel, s: StoredGraph, pagerankPos: Int32Array, harmonicPos: Int32Array): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const n = s.graph.nodeCount;
  const hosts = level === 'domain';
  const files = ['vertices.txt.gz', 'edges.txt.gz', 'ranks.txt.gz'].map((f) => join(dir, f));
  await writeGzipLines(files[0]!, function* () {
    for (let v = 0; v < n; v++) yield `${v}\t${vertexName(s.names, v)}${hosts ? `\t${s.tally[v]}` : ''}\n`;
  });
  await writeGzipLines(files[1]!, function* () {
    const g = s.graph;
    for (let v = 0; v < n; v++) for (let i = g.outOffsets[v]!; i < g.outOffsets[v + 1]!; i++) yield `${v}\t${g.outTargets[i]}\n`;
  });
  const byHarmonic = new Int32Array(n);
  for (let v = 0; v < n; v++) byHarmonic[harmonicPos[v]! - 1] = v;
  await writeGzipLines(files[2]!, function* () {
    yield `#harmonicc_pos\t#harmonicc_val\t#pr_pos\t#pr_val\t#host_rev${hosts ? '\t#n_hosts' : ''}\n`;
    for (const v of byHarmonic) {
      yield `${harmonicPos[v]}\t${s.harmonic[v]}\t${pagerankPos[v]}\t${s.pagerank[v]}\t${vertexName(s.names, v)}${hosts ? `\t${s.tally[v]}` : ''}\n`;
    }
  });
  return files;
}
