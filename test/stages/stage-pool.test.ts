import { afterEach, describe, expect, it } from 'vitest';
import { analysePage, resolveStageSettings, StagePool, type StageInput, type StageResult } from '../../src/stages/index.js';
import { describeUrl, resolveTestWebOptions } from '../../src/testweb/index.js';
import { WebModel } from '../../src/testweb/model.js';
import { Renderer } from '../../src/testweb/render.js';

const model = new WebModel(resolveTestWebOptions({ seed: 5, hosts: 6, pagesPerHost: 12, faults: { malformedHtml: 0.1, badCharset: 0.1 } }));
const renderer = new Renderer(model);

function inputs(): StageInput[] {
  const out: StageInput[] = [];
  for (let h = 0; h < model.opts.hosts; h++) {
    for (let p = 0; p < model.opts.pagesPerHost; p++) {
      const plan = model.page(h, p);
      const { body, contentType } = renderer.page(plan, model.fault(h, p));
      out.push({ url: plan.url, body, contentType, status: 200, errorCode: null, attempts: 1 });
    }
  }
  return out;
}

const FAULTY_WORKER = new URL('./fixtures/faulty-worker.ts', import.meta.url);
const pools: StagePool[] = [];
function pool(options: ConstructorParameters<typeof StagePool>[0]): StagePool {
  const p = new StagePool(options);
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

const ok = (r: StageResult) => {
  if (r.deadLetter) throw new Error(`unexpected dead letter ${JSON.stringify(r.deadLetter)}`);
  return r;
};

describe('StagePool', () => {
  it('gives on worker threads exactly what analysePage gives in-process (what curate relies on)', async () => {
    const all = inputs();
    const stages = pool({ threads: 2, batchMaxPages: 4 });
    const fromPool = await Promise.all(all.map((i) => stages.process(i)));
    const settings = resolveStageSettings();
    expect(fromPool).toEqual(all.map((i) => analysePage(i, settings)));
    expect(stages.stats()).toMatchObject({ pages: all.length, deadLetters: 0 });
    // When the workers were busy, waiting pages went together.
    expect(stages.stats().batches).toBeLessThan(all.length);
  });

  it('fills the pages columns, links and chunks from the page', async () => {
    const all = inputs();
    const stages = pool({ threads: 1, chunk: { targetTokens: 128, overlapTokens: 16 } });
    for (const input of all.slice(0, 40)) {
      const truth = describeUrl(model, input.url);
      const r = ok(await stages.process(input));
      if (truth.kind === 'pdf' || truth.kind === 'json') {
        expect(r.columns).toMatchObject({ word_count: 0, outlink_count: 0, action: 'SKIP' });
        expect(r.chunks).toEqual([]);
        continue;
      }
      expect(r.columns).toMatchObject({ title: truth.title, canonical_url: truth.canonical, language: truth.language, content_languages: truth.language });
      expect(r.columns.soft_404).toBe(truth.kind === 'soft404');
      if (truth.kind === 'product') expect(r.columns).toMatchObject({ has_price: true, price: truth.price, currency: truth.currency });
      expect(r.columns.outlink_count).toBe(r.links.length);
      expect(new Set(r.links.map((l) => l.dst_url)).size).toBe(r.links.length);
      expect(r.extract.links.map((l) => l.url)).toEqual(r.links.filter((l) => !l.nofollow).map((l) => l.dst_url));
      expect(r.chunks.length).toBeGreaterThan(0);
      r.chunks.forEach((c, i) => {
        expect(c.chunk_index).toBe(i);
        expect(c.token_count).toBeLessThanOrEqual(128);
      });
      expect(['BUY', 'MONITOR', 'SKIP']).toContain(r.columns.action);
      expect(r.columns.score).toBeGreaterThanOrEqual(0);
      expect(r.columns.reason).toMatch(new RegExp(`^${r.columns.action}: `));
    }
  });

  it('ranks synthetic products above plain pages and soft-404s (the default profile at work)', async () => {
    const stages = pool({ threads: 2 });
    const all = inputs();
    const results = await Promise.all(all.map((i) => stages.process(i)));
    const byKind = new Map<string, string[]>();
    results.forEach((r, i) => {
      const kind = describeUrl(model, all[i]!.url).kind;
      byKind.set(kind, [...(byKind.get(kind) ?? []), ok(r).columns.action!]);
    });
    expect(byKind.get('product')!.filter((a) => a === 'BUY').length).toBeGreaterThan(byKind.get('product')!.length * 0.8);
    for (const k of ['soft404', 'pdf', 'json']) for (const a of byKind.get(k) ?? []) expect(a).toBe('SKIP');
    for (const a of byKind.get('page') ?? []) expect(a).not.toBe('BUY');
  });

  it('dead-letters a page that hangs or kills its worker, and loses no other page of its batch', async () => {
    const all = inputs().slice(0, 20);
    const stages = pool({ threads: 2, taskTimeoutMs: 2000, batchMaxPages: 8, workerUrl: FAULTY_WORKER });
    const bad: StageInput[] = [
      { ...all[0]!, url: 'http://site-0000.test/hang' },
      { ...all[1]!, url: 'http://site-0000.test/crash' },
    ];
    const mixed = [...all.slice(0, 7), bad[0]!, ...all.slice(7, 14), bad[1]!, ...all.slice(14)];
    const results = await Promise.all(mixed.map((i) => stages.process(i)));
    const byUrl = new Map(mixed.map((i, k) => [i.url, results[k]!]));
    expect(byUrl.get('http://site-0000.test/hang')!.deadLetter).toMatchObject({ stage: 'extract', errorCode: 'JVX_ERR_STAGE_TIMEOUT' });
    expect(byUrl.get('http://site-0000.test/crash')!.deadLetter).toMatchObject({ stage: 'extract', errorCode: 'JVX_ERR_STAGE_WORKER_CRASHED' });
    const settings = resolveStageSettings();
    for (const input of all) expect(byUrl.get(input.url)).toEqual(analysePage(input, settings));
    expect(stages.stats()).toMatchObject({ deadLetters: 2, timeouts: 1, crashes: 1 });
    // The pool replaced its workers and goes on.
    expect(ok(await stages.process(all[2]!)).columns.title).toBeTruthy();
  });

  it('back-pressure: never more than maxQueue pages accepted; the rest wait in process()', async () => {
    const all = inputs();
    const stages = pool({ threads: 1, maxQueue: 3 });
    const pending = all.map((input) => stages.process(input));
    // Admission is synchronous: three accepted, the others wait for room.
    expect(stages.inFlight).toBe(3);
    let maxSeen = 0;
    let done = false;
    const watch = (async () => {
      while (!done) {
        maxSeen = Math.max(maxSeen, stages.inFlight);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const results = await Promise.all(pending);
    done = true;
    await watch;
    expect(results).toHaveLength(all.length);
    expect(maxSeen).toBeLessThanOrEqual(3);
    expect(stages.inFlight).toBe(0);
  });

  it('close() finishes accepted pages, then refuses new ones', async () => {
    const all = inputs();
    const stages = pool({ threads: 1, maxQueue: 2 });
    const running = all.slice(0, 5).map((i) => stages.process(i));
    const closed = stages.close();
    const settled = await Promise.allSettled(running);
    await closed;
    const fulfilled = settled.filter((s) => s.status === 'fulfilled');
    // Two were accepted before close and finish; the three waiting for room are refused.
    expect(fulfilled).toHaveLength(2);
    for (const s of settled.filter((x) => x.status === 'rejected')) {
      expect((s as PromiseRejectedResult).reason).toMatchObject({ code: 'JVX_ERR_STAGE_POOL_CLOSED' });
    }
    await expect(stages.process(all[0]!)).rejects.toMatchObject({ code: 'JVX_ERR_STAGE_POOL_CLOSED' });
  });

  it('validates its options and the scoring profile at construction', () => {
    expect(() => new StagePool({ threads: 0 })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID', option: 'stagePool.threads' }));
    expect(() => new StagePool({ threads: 1, bogus: true } as never)).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_UNKNOWN' }));
    expect(() => new StagePool({ threads: 1, profile: { weights: { quality: 'x' } } as never })).toThrow(
      expect.objectContaining({ code: 'JVX_ERR_SCORE_PROFILE_INVALID', path: 'weights.quality' }),
    );
    expect(() => new StagePool({ threads: 1, chunk: { targetTokens: -1 } })).toThrow(expect.objectContaining({ option: 'chunk.targetTokens' }));
  });
});
