import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPage, type ExtractResult } from '../../src/extract/index.js';
import { startTestWeb, resolveTestWebOptions, describeUrl, type TestWeb, type UrlTruth } from '../../src/testweb/index.js';
import { WebModel } from '../../src/testweb/model.js';
import { Renderer } from '../../src/testweb/render.js';
import { rawGet } from '../helpers/raw-http.js';

const CONTENT_FAULTS = { badCharset: 0.1, invalidUtf8: 0.1, malformedHtml: 0.1 };
const model = new WebModel(resolveTestWebOptions({ seed: 11, hosts: 12, pagesPerHost: 40, faults: CONTENT_FAULTS }));
const renderer = new Renderer(model);

interface Case {
  truth: UrlTruth;
  result: ExtractResult;
}

function extractAll(): Case[] {
  const out: Case[] = [];
  for (let h = 0; h < model.opts.hosts; h++) {
    for (let p = 0; p < model.opts.pagesPerHost; p++) {
      const plan = model.page(h, p);
      const { body, contentType } = renderer.page(plan, model.fault(h, p));
      out.push({ truth: describeUrl(model, plan.url), result: extractPage({ url: plan.url, body, contentType, status: 200 }) });
    }
  }
  return out;
}

const cases = extractAll();
const html = cases.filter((c) => c.truth.kind !== 'pdf' && c.truth.kind !== 'json');

describe('extraction against the synthetic web truth', () => {
  it('covers every page kind and content fault', () => {
    const kinds = new Set(cases.map((c) => c.truth.kind));
    for (const k of ['page', 'product', 'article', 'paywalled', 'soft404', 'pdf', 'json']) expect(kinds).toContain(k);
    const faults = new Set(cases.map((c) => c.truth.fault));
    for (const f of ['badCharset', 'invalidUtf8', 'malformedHtml']) expect(faults).toContain(f);
  });

  it('gets title, description, canonical and language of every HTML page', () => {
    for (const { truth, result } of html) {
      expect({ url: truth.url, title: result.title }).toEqual({ url: truth.url, title: truth.title });
      expect({ url: truth.url, description: result.description }).toEqual({ url: truth.url, description: truth.description });
      expect(result.canonicalUrl).toBe(truth.canonical);
      expect(result.language).toBe(truth.language);
      expect(result.languageSource).toBe('html');
    }
  });

  it('decodes a page declared UTF-8 but written in Latin-1 as windows-1252 (badCharset)', () => {
    const bad = html.filter((c) => c.truth.fault === 'badCharset');
    expect(bad.length).toBeGreaterThan(0);
    for (const { result } of bad) {
      expect(result.charset).toBe('windows-1252');
      expect(result.anomalies).toContain('charset-declared-utf8-invalid');
      expect(result.text).toContain('Crème brûlée, naïve café, Müller, señor, garçon.');
      expect(result.text).not.toContain('\ufffd');
    }
  });

  it('keeps UTF-8 with replacement characters when a few bytes are invalid (invalidUtf8)', () => {
    const bad = html.filter((c) => c.truth.fault === 'invalidUtf8');
    const utf8 = bad.filter((c) => c.result.charset === 'utf-8');
    expect(utf8.length).toBeGreaterThan(0);
    for (const { result } of utf8) {
      expect(result.anomalies).toContain('charset-invalid-bytes');
      expect(result.text).toContain('\ufffd');
    }
    // A page with no valid multi-byte text at all (English) is taken for windows-1252, which
    // reads its ASCII the same; a declared UTF-8 is then reported as contradicted.
    for (const { truth, result } of bad.filter((c) => c.result.charset !== 'utf-8')) {
      expect(result.charset).toBe('windows-1252');
      if (truth.charset !== 'none') expect(result.anomalies).toContain('charset-declared-utf8-invalid');
      expect(result.title).toBe(truth.title);
    }
  });

  it('finds every outlink, absolute, in document order with nofollow (rel and meta robots)', () => {
    for (const { truth, result } of html) {
      const want = truth.outlinks.map((l) => ({ url: l.url, nofollow: l.nofollow || truth.metaNofollow }));
      // The paywall box links to a subscribe page the truth does not list as an outlink.
      const links = result.links.filter((l) => !(truth.kind === 'paywalled' && l.text === 'Subscribe'));
      const got = links.map((l) => ({ url: l.url, nofollow: l.nofollow }));
      if (truth.fault === 'malformedHtml') {
        // A link inside a broken attribute list is not a link (browsers agree); the rest are found.
        const wanted = new Set(want.map((l) => l.url));
        for (const l of got) expect(wanted.has(l.url)).toBe(true);
        expect(got.length).toBeGreaterThanOrEqual(want.length * 0.7);
      } else {
        expect({ url: truth.url, links: got }).toEqual({ url: truth.url, links: want });
        expect(links.map((l) => l.text)).toEqual(truth.outlinks.map((l) => l.text));
      }
    }
  });

  it('finds the price and currency of products, and no price elsewhere', () => {
    for (const { truth, result } of html) {
      const s = result.signals;
      if (truth.kind === 'product') {
        expect({ url: truth.url, price: s.price, currency: s.currency }).toEqual({ url: truth.url, price: truth.price, currency: truth.currency });
        expect(s.hasPrice).toBe(true);
        expect(result.product?.name).toBe(truth.title);
        expect(s.buyIntent).toBeGreaterThanOrEqual(0.7);
      } else {
        expect({ url: truth.url, hasPrice: s.hasPrice }).toEqual({ url: truth.url, hasPrice: false });
        // Keywords alone never make more than half the signal.
        expect(s.buyIntent).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it('flags paywalled and soft-404 pages, and only those', () => {
    for (const { truth, result } of html) {
      expect({ url: truth.url, paywall: result.signals.paywall }).toEqual({ url: truth.url, paywall: truth.kind === 'paywalled' });
      expect({ url: truth.url, soft404: result.signals.soft404 }).toEqual({ url: truth.url, soft404: truth.kind === 'soft404' });
      if (truth.kind === 'article' || truth.kind === 'paywalled') expect(result.article?.published).toMatch(/^2024-/);
    }
  });

  it('leaves nav, footer, scripts and styles out of the text', () => {
    for (const { result } of html) {
      expect(result.text).not.toMatch(/gtag|dataLayer|font-family|querySelectorAll/);
      expect(result.text).not.toMatch(/© 2024/);
      expect(result.wordCount).toBeGreaterThan(0);
      expect(result.textSha1).toMatch(/^[0-9a-f]{40}$/);
      expect(result.simhash).toMatch(/^[0-9a-f]{16}$/);
    }
    const product = html.find((c) => c.truth.kind === 'product' && c.truth.fault === null)!;
    expect(product.result.text).toContain(product.truth.priceText!);
    expect(product.result.headings[0]).toBe(product.truth.title);
  });

  it('reports PDF and JSON responses by their detected type, with no text or links', () => {
    for (const { truth, result } of cases.filter((c) => c.truth.kind === 'pdf' || c.truth.kind === 'json')) {
      expect(result.mimeDetected).toBe(truth.kind === 'pdf' ? 'application/pdf' : 'application/json');
      expect(result.wordCount).toBe(0);
      expect(result.links).toEqual([]);
    }
  });

  it('is deterministic', () => {
    const { truth } = html[3]!;
    const pageIndex = truth.pageIndex!;
    const plan = model.page(truth.hostIndex, pageIndex);
    const { body, contentType } = renderer.page(plan, model.fault(truth.hostIndex, pageIndex));
    expect(extractPage({ url: plan.url, body, contentType, status: 200 })).toEqual(html[3]!.result);
  });
});

describe('extraction of pages served over HTTP', () => {
  let web: TestWeb;
  beforeAll(async () => {
    web = await startTestWeb({ seed: 11, hosts: 12, pagesPerHost: 40, faults: CONTENT_FAULTS, latency: { kind: 'none' } });
  });
  afterAll(async () => {
    await web.close();
  });

  it('gives the same result from the raw bytes served as from the in-process renderer', async () => {
    for (const c of html.slice(0, 12)) {
      const res = await rawGet(web.port, c.truth.host, c.truth.path);
      expect(res.status).toBe(200);
      const ct = Array.isArray(res.headers['content-type']) ? res.headers['content-type'][0]! : res.headers['content-type'] ?? null;
      const result = extractPage({ url: c.truth.url, body: res.body, contentType: ct, status: res.status });
      expect(result).toEqual(c.result);
    }
  });
});
