import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../src/extract/index.js';

const MB = 1024 * 1024;
const run = (body: Buffer, contentType: string | null = 'text/html; charset=utf-8', limits: { maxTextChars?: number; maxHtmlBytes?: number } = {}) =>
  extractPage({ url: 'https://hostile.example/', body, contentType, status: 200, ...limits });

describe('hostile HTML is handled within limits', () => {
  it('100k levels of nesting: parsing stops at the depth cap, text before it is kept', () => {
    const n = 100_000;
    for (const open of ['<div>', '<span><b>', '<table><tr><td>', '<a href="/x">x', '<div itemscope itemprop="offers">']) {
      const body = Buffer.from(`<html><head><title>Deep</title></head><body><p>Before the abyss.</p>${open.repeat(n)}bottom${'</div>'.repeat(n)}</body></html>`);
      const r = run(body);
      expect(r.anomalies).toContain('html-too-deep');
      expect(r.title).toBe('Deep');
      expect(r.text.startsWith('Before the abyss.')).toBe(true);
      expect(r.text).not.toContain('bottom');
    }
  });

  it('50 MB of one tag repeated is cut at maxHtmlBytes', () => {
    for (const tag of ['<br>', '<div>']) {
      const body = Buffer.alloc(50 * MB, tag);
      const r = run(body);
      expect(r.anomalies).toContain('html-truncated');
      expect(r.wordCount).toBe(0);
    }
  });

  it('one 50 MB tag (a giant attribute) and a 50 MB unterminated script or comment produce no text', () => {
    const attr = Buffer.concat([Buffer.from('<p>Intro text.</p><div title="'), Buffer.alloc(50 * MB, 'x'), Buffer.from('">after</div>')]);
    const r = run(attr, 'text/html', { maxHtmlBytes: 64 * MB });
    expect(r.text).toBe('Intro text.\n\nafter');
    for (const start of ['<script>', '<!--', '<style>']) {
      const body = Buffer.concat([Buffer.from(`<title>T</title><p>Seen.</p>${start}`), Buffer.alloc(50 * MB, 'y')]);
      const res = run(body);
      expect(res.text).toBe('Seen.');
      expect(res.anomalies).toContain('html-truncated');
    }
  });

  it('caps the text at maxTextChars and the links at 5000', () => {
    const text = run(Buffer.concat([Buffer.from('<p>'), Buffer.alloc(20 * MB, 'word ')]), 'text/html', { maxTextChars: 100_000 });
    expect(text.text.length).toBe(100_000);
    expect(text.anomalies).toContain('text-truncated');
    const links = run(Buffer.from('<a href="/l">l</a>'.repeat(20_000)));
    expect(links.links).toHaveLength(5000);
    expect(links.anomalies).toContain('links-truncated');
  });

  it('random bytes never throw, whatever they are labelled', () => {
    const junk = randomBytes(2 * MB);
    // A random first byte of '{', '[' or '<' would rightly sniff as JSON or HTML: start with a binary byte.
    junk[0] = 0x00;
    for (const ct of ['text/html', 'text/html; charset=utf-8', 'text/html; charset=x-unknown-charset', 'text/plain', null]) {
      const r = run(junk, ct);
      expect(typeof r.textSha1).toBe('string');
    }
    expect(run(junk, 'text/html; charset=x-unknown-charset').anomalies).toContain('charset-header-unknown');
    expect(run(junk, null).mimeDetected).toBe('application/octet-stream');
  });

  it('broken and huge JSON-LD is skipped, counted, and does not hide the rest', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const html = `<html><head><title>T</title>
      <script type="application/ld+json">{ "@type": "Product", "name": "Broken", </script>
      <script type="application/ld+json">${deep}</script>
      <script type="application/ld+json">{"@type":"Product","name":"Good","offers":{"@type":"Offer","price":"5.00","priceCurrency":"EUR",},}</script>
      </head><body><p>Body.</p></body></html>`;
    const r = run(Buffer.from(html));
    expect(r.anomalies).toContain('jsonld-invalid');
    expect(r.product).toEqual({ name: 'Good', price: 5, currency: 'EUR' });
  });

  it('binary bodies are recognised by their magic bytes even when labelled text/html', () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1000)]);
    const r = run(pdf, 'text/html');
    expect(r.mimeDetected).toBe('application/pdf');
    expect(r.anomalies).toContain('mime-mismatch');
    expect(r.text).toBe('');
  });
});
