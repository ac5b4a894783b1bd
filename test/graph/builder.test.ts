import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GraphBuilder, findVertex, vertexName } from '../../src/graph/builder.js';
import { readGraphFile, writeGraphFile } from '../../src/graph/graph-file.js';
import { domainOf, hostVertex, pageKey, reverseHost } from '../../src/graph/levels.js';
import { tempDir } from '../helpers/tmp.js';

describe('graph building', () => {
  it('drops self-links and fragments, merges parallel links with their counts, and numbers vertices by name', () => {
    const b = new GraphBuilder();
    const k = (u: string): string => pageKey(u)!;
    b.addLink(k('http://b.test/'), k('http://a.test/#top'), false);
    b.addLink(k('http://b.test/'), k('http://a.test/'), true);
    b.addLink(k('http://b.test/#x'), k('http://b.test/'), false); // a fragment link to itself
    b.addLink(k('http://c.test/'), k('http://a.test/'), false, true);
    b.addVertex('http://lonely.test/');
    const g = b.finish();
    expect(b.counts).toEqual({ links: 4, selfLinks: 1 });
    const names = Array.from({ length: g.graph.nodeCount }, (_, v) => vertexName(g.names, v));
    expect(names).toEqual(['http://a.test/', 'http://b.test/', 'http://c.test/', 'http://lonely.test/']);
    expect(g.graph.edgeCount).toBe(2);
    const from = (v: number): number[] => Array.from(g.graph.outTargets.subarray(g.graph.outOffsets[v], g.graph.outOffsets[v + 1]));
    expect(from(1)).toEqual([0]);
    expect(from(2)).toEqual([0]);
    // b → a: two links, one nofollow; c → a: a redirect.
    expect([g.attributes.count[0], g.attributes.nofollowCount[0], g.attributes.redirect[0]]).toEqual([2, 1, 0]);
    expect([g.attributes.count[1], g.attributes.nofollowCount[1], g.attributes.redirect[1]]).toEqual([1, 0, 1]);
    expect(Array.from(g.graph.inSources.subarray(g.graph.inOffsets[0], g.graph.inOffsets[1]))).toEqual([1, 2]);
    expect(findVertex(g.names, 'http://c.test/')).toBe(2);
    expect(findVertex(g.names, 'http://zzz.test/')).toBe(-1);
  });

  it('names hosts and registered domains as Common Crawl does', () => {
    expect(reverseHost('www.example.com')).toBe('com.example.www');
    expect(reverseHost('127.0.0.1')).toBe('127.0.0.1');
    expect(hostVertex('https://Shop.Example.co.uk:8443/x')).toBe('uk.co.example.shop');
    expect(domainOf('https://a.b.example.co.uk/')).toEqual({ host: 'a.b.example.co.uk', domain: 'uk.co.example' });
    expect(domainOf('https://me.github.io/')?.domain).toBe('io.github.me');
    expect(pageKey('mailto:x@y.z')).toBeNull();
  });

  it('round-trips the binary graph file and refuses a damaged one with a code', async () => {
    const b = new GraphBuilder();
    for (let i = 0; i < 50; i++) b.addLink(`http://h${i % 7}.test/${i}`, `http://h${(i * 3) % 7}.test/${(i * 7) % 50}`, i % 5 === 0);
    const g = b.finish();
    const pagerank = Float64Array.from({ length: g.graph.nodeCount }, (_, i) => i / 100);
    const harmonic = Float64Array.from({ length: g.graph.nodeCount }, (_, i) => i * 2);
    const tmp = await tempDir();
    try {
      const path = join(tmp.dir, 'graph.bin');
      await writeGraphFile(path, { ...g, pagerank, harmonic });
      const back = await readGraphFile(path);
      expect(back.graph).toEqual(g.graph);
      expect(back.attributes).toEqual(g.attributes);
      expect(back.pagerank).toEqual(pagerank);
      expect(vertexName(back.names, 3)).toBe(vertexName(g.names, 3));
      const bytes = await readFile(path);
      await writeFile(path, bytes.subarray(0, bytes.length - 9));
      await expect(readGraphFile(path)).rejects.toMatchObject({ code: 'JVX_ERR_GRAPH_FILE_CORRUPT' });
      await writeFile(path, Buffer.from('not a graph at all, clearly not one of ours................................'));
      await expect(readGraphFile(path)).rejects.toMatchObject({ code: 'JVX_ERR_GRAPH_FILE_CORRUPT' });
    } finally {
      await tmp.cleanup();
    }
  });
});
