import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkText, resolveChunkOptions, type Chunk } from '../../src/chunk/index.js';

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

function checkInvariants(text: string, chunks: Chunk[], targetChars: number): void {
  chunks.forEach((c, i) => {
    expect(c.chunk_index).toBe(i);
    expect(text.slice(c.char_start, c.char_end)).toBe(c.text);
    expect(c.sha1).toBe(sha1(c.text));
    expect(c.text.length).toBeLessThanOrEqual(targetChars);
    expect(c.text.length).toBeGreaterThan(0);
    expect(c.text).toBe(c.text.trim());
    if (i > 0) {
      // Moves forward, and overlaps at most up to where the previous chunk ended.
      expect(c.char_start).toBeGreaterThan(chunks[i - 1]!.char_start);
      expect(c.char_end).toBeGreaterThan(chunks[i - 1]!.char_end);
    }
  });
}

/** Every non-space character of the text is in some chunk. */
function coversText(text: string, chunks: Chunk[]): boolean {
  const covered = new Uint8Array(text.length);
  for (const c of chunks) covered.fill(1, c.char_start, c.char_end);
  for (let i = 0; i < text.length; i++) if (!covered[i] && !/\s/.test(text[i]!)) return false;
  return true;
}

const sentence = (i: number): string => `Sentence number ${i} talks about item ${i * 7} in some detail.`;

describe('chunkText', () => {
  it('returns no chunks for empty or blank text', () => {
    expect(chunkText('')).toEqual([]);
    expect(chunkText('  \n\n \t ')).toEqual([]);
  });

  it('keeps a short text whole as one chunk', () => {
    const text = 'Hello world. This is short.';
    const chunks = chunkText(text);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ chunk_index: 0, char_start: 0, char_end: text.length, text, token_count: Math.ceil(text.length / 4) });
  });

  it('cuts at sentence ends, with offsets exactly matching the text and repeated trailing sentences', () => {
    const text = Array.from({ length: 60 }, (_, i) => sentence(i)).join(' ');
    const o = resolveChunkOptions({ targetTokens: 50, overlapTokens: 20, charsPerToken: 4 });
    const chunks = chunkText(text, o);
    expect(chunks.length).toBeGreaterThan(5);
    checkInvariants(text, chunks, 200);
    expect(coversText(text, chunks)).toBe(true);
    for (const c of chunks) {
      expect(c.text.startsWith('Sentence number')).toBe(true);
      expect(c.text.endsWith('detail.')).toBe(true);
    }
    // Overlap: each chunk after the first starts before the previous one ended.
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.char_start).toBeLessThan(chunks[i - 1]!.char_end);
  });

  it('has no overlap when overlapTokens is 0', () => {
    const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkText(text, resolveChunkOptions({ targetTokens: 40, overlapTokens: 0 }));
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.char_start).toBeGreaterThanOrEqual(chunks[i - 1]!.char_end);
    expect(coversText(text, chunks)).toBe(true);
  });

  it('prefers paragraph breaks over filling the chunk', () => {
    const para = (p: number): string => Array.from({ length: 4 }, (_, i) => sentence(p * 10 + i)).join(' ');
    const text = [para(1), para(2), para(3), para(4)].join('\n\n');
    // A paragraph is ~250 chars: more than half of 400, so each chunk ends at its paragraph's end
    // although the next sentence would still fit.
    const chunks = chunkText(text, resolveChunkOptions({ targetTokens: 100, overlapTokens: 0 }));
    checkInvariants(text, chunks, 400);
    for (const c of chunks) {
      expect(c.text.includes('\n\n')).toBe(false);
    }
    expect(chunks).toHaveLength(4);
    expect(chunks.map((c) => c.text)).toEqual([para(1), para(2), para(3), para(4)]);
  });

  it('splits a sentence longer than the target at whitespace, and text without spaces at the limit', () => {
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const o = resolveChunkOptions({ targetTokens: 25, overlapTokens: 5, charsPerToken: 4 });
    const chunks = chunkText(words, o);
    checkInvariants(words, chunks, 100);
    expect(coversText(words, chunks)).toBe(true);
    for (const c of chunks) expect(/^word\d+$/.test(c.text.split(' ').at(-1)!)).toBe(true);

    const blob = 'x'.repeat(1000);
    const blobChunks = chunkText(blob, o);
    checkInvariants(blob, blobChunks, 100);
    expect(blobChunks.map((c) => c.text).join('')).toBe(blob);
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(300);
    const chunks = chunkText(text, resolveChunkOptions({ targetTokens: 10, overlapTokens: 0, charsPerToken: 4 }));
    checkInvariants(text, chunks, 40);
    for (const c of chunks) expect(c.text.length % 2).toBe(0);
    expect(chunks.map((c) => c.text).join('')).toBe(text);
  });

  it('handles CJK sentence ends without spaces and keeps offsets in UTF-16 units', () => {
    const text = '今日は晴れです。明日は雨でしょう。'.repeat(40) + '\n\nÉté à Paris — très chaud! Oui.';
    const chunks = chunkText(text, resolveChunkOptions({ targetTokens: 20, overlapTokens: 4 }));
    checkInvariants(text, chunks, 80);
    expect(coversText(text, chunks)).toBe(true);
    expect(chunks.at(-1)!.text.endsWith('Oui.')).toBe(true);
  });

  it('is deterministic', () => {
    const text = Array.from({ length: 100 }, (_, i) => sentence(i)).join(i3());
    expect(chunkText(text)).toEqual(chunkText(text));
  });

  it('rejects invalid options naming the option', () => {
    expect(() => resolveChunkOptions({ targetTokens: 0 })).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_INVALID', option: 'chunk.targetTokens' }));
    expect(() => resolveChunkOptions({ bogus: 1 } as never)).toThrow(expect.objectContaining({ code: 'JVX_ERR_OPTION_UNKNOWN' }));
  });
});

function i3(): string {
  return '\n\n';
}
