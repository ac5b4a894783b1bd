import { createHash } from 'node:crypto';
import type { ChunkRow } from '../dataset/index.js';
import { defaultChunkOptions, type ChunkOptions } from './options.js';
import { sentenceSpans, type Span } from './segment.js';

export type Chunk = Omit<ChunkRow, 'url'>;

/** Token estimate used for sizes and `token_count`: characters / charsPerToken, rounded up. */
export function estimateTokens(chars: number, charsPerToken: number): number {
  return Math.ceil(chars / charsPerToken);
}

/**
 * Paragraph- and sentence-aware chunks of `text`. Sentences are packed greedily up to the
 * target size; a chunk also ends early at a paragraph break once it is at least half full, so
 * chunks follow the document's own structure. The next chunk repeats the trailing sentences of
 * the previous one up to the overlap. Offsets are UTF-16 indices into `text`:
 * `text.slice(char_start, char_end) === chunk.text` always holds, and no chunk is longer than
 * the target. Pure: same input, same chunks. Options as resolved by `resolveChunkOptions`.
 */
export function chunkText(text: string, options: ChunkOptions = defaultChunkOptions): Chunk[] {
  const o = options;
  const targetChars = Math.max(8, Math.floor(o.targetTokens * o.charsPerToken));
  const overlapChars = Math.floor(o.overlapTokens * o.charsPerToken);
  const spans = sentenceSpans(text, targetChars);
  const chunks: Chunk[] = [];
  let first = 0;
  while (first < spans.length) {
    let last = first;
    const start = spans[first]!.start;
    while (last + 1 < spans.length) {
      const next = spans[last + 1]!;
      const size = next.end - start;
      if (size > targetChars) break;
      if (next.paragraphStart && spans[last]!.end - start >= targetChars / 2) break;
      last++;
    }
    chunks.push(makeChunk(text, chunks.length, start, spans[last]!.end, o.charsPerToken));
    if (last + 1 >= spans.length) break;
    let next = overlapStart(spans, first, last, overlapChars);
    // The overlap is dropped when it would leave no room for the next sentence.
    if (spans[last + 1]!.end - spans[next]!.start > targetChars) next = last + 1;
    first = next;
  }
  return chunks;
}

/** The first sentence of the next chunk: trailing sentences of [first..last] within the overlap, never all of them. */
function overlapStart(spans: Span[], first: number, last: number, overlapChars: number): number {
  let k = last + 1;
  const end = spans[last]!.end;
  while (k - 1 > first && end - spans[k - 1]!.start <= overlapChars) k--;
  return k;
}

function makeChunk(text: string, index: number, start: number, end: number, charsPerToken: number): Chunk {
  const body = text.slice(start, end);
  return {
    chunk_index: index,
    text: body,
    char_start: start,
    char_end: end,
    token_count: estimateTokens(body.length, charsPerToken),
    sha1: createHash('sha1').update(body).digest('hex'),
  };
}
