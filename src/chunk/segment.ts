/**
 * Splits text into sentence-sized spans with exact offsets, never copying: the chunker
 * only ever slices the original text, so `text.slice(start, end)` is each span.
 */
export interface Span {
  start: number;
  end: number;
  /** The span opens a paragraph (text before it ends with a blank line, or it is first). */
  paragraphStart: boolean;
}

/** Sentence end: terminal punctuation (and closing quotes/brackets) followed by whitespace. */
const SENTENCE_END = /[.!?…。！？]+["'”’)\]]*(?=\s)|[。！？]/g;
const PARAGRAPH = /\n[ \t]*\n\s*/g;

export function sentenceSpans(text: string, maxChars: number): Span[] {
  const spans: Span[] = [];
  let from = 0;
  PARAGRAPH.lastIndex = 0;
  for (;;) {
    const m = PARAGRAPH.exec(text);
    const end = m ? m.index : text.length;
    paragraphSentences(text, from, end, maxChars, spans);
    if (!m) break;
    from = m.index + m[0].length;
  }
  return spans;
}

function paragraphSentences(text: string, from: number, to: number, maxChars: number, out: Span[]): void {
  let first = true;
  let start = from;
  const push = (s: number, e: number): void => {
    // Trim so spans never start or end in whitespace.
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e <= s) return;
    for (const piece of hardSplit(text, s, e, maxChars)) {
      out.push({ start: piece[0], end: piece[1], paragraphStart: first });
      first = false;
    }
  };
  SENTENCE_END.lastIndex = from;
  for (;;) {
    const m = SENTENCE_END.exec(text);
    if (!m || m.index >= to) break;
    const end = m.index + m[0].length;
    push(start, end);
    start = end;
  }
  push(start, to);
}

/** A sentence longer than maxChars is cut at the last whitespace before the limit (or at the limit). */
function hardSplit(text: string, start: number, end: number, maxChars: number): Array<[number, number]> {
  if (end - start <= maxChars) return [[start, end]];
  const out: Array<[number, number]> = [];
  let s = start;
  while (end - s > maxChars) {
    let cut = s + maxChars;
    let k = cut;
    while (k > s + maxChars / 2 && !isSpace(text.charCodeAt(k))) k--;
    if (k > s + maxChars / 2) cut = k;
    // Never cut a surrogate pair in half.
    const c = text.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff && cut - 1 > s) cut--;
    let e = cut;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    out.push([s, e]);
    s = cut;
    while (s < end && isSpace(text.charCodeAt(s))) s++;
  }
  if (s < end) out.push([s, end]);
  return out;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x0c || c === 0xa0;
}
