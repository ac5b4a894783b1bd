/**
 * One tokenizer for the index, the query and the snippets, so a word is folded the same way
 * everywhere. Words are runs of letters, digits and combining marks (Unicode properties, so Latin,
 * Cyrillic, Greek, Arabic, Hebrew, Devanagari... all work). Han, Hiragana and Katakana have no
 * spaces between words: a run of them becomes overlapping character bigrams (a single character
 * stays a unigram), the usual n-gram answer for CJK. Folding: NFKD, combining marks dropped on
 * Latin, Greek and Cyrillic letters (é → e, ё → е, ά → α), lower case, final sigma as sigma.
 * Marks of other scripts carry meaning (Devanagari vowel signs) and stay.
 */
export interface Token {
  /** The folded form, what the index holds. */
  readonly term: string;
  /** Offsets in the original text (UTF-16 units), for snippets. */
  readonly start: number;
  readonly end: number;
}

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
const WORD_OR_CJK = new RegExp(`[${CJK}]+|(?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])+`, 'gu');
const IS_CJK = new RegExp(`^[${CJK}]`, 'u');
const FOLDABLE_MARKS = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;
/** Longer "words" are base64, hashes, minified junk: cut, so one cannot bloat the term dictionary. */
export const MAX_TERM_CHARS = 48;

// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_WORD = /[A-Za-z0-9]+/g;

export function fold(word: string): string {
  if (ASCII.test(word)) return (word.length > MAX_TERM_CHARS ? word.slice(0, MAX_TERM_CHARS) : word).toLowerCase();
  // NFKD may turn a compatibility character into ASCII punctuation (⑴ → "(1)"): drop it, so the
  // FTS `ascii` tokenizer, which splits on ASCII punctuation, sees exactly this one term.
  // eslint-disable-next-line no-control-regex -- ASCII punctuation and controls, by range
  const f = word.normalize('NFKD').replace(FOLDABLE_MARKS, '$1').toLowerCase().replace(/ς/g, 'σ').replace(/[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/g, '');
  return f.length > MAX_TERM_CHARS ? f.slice(0, MAX_TERM_CHARS) : f;
}

export function isCjk(text: string): boolean {
  return IS_CJK.test(text);
}

/** Tokens of `text` in order, with their offsets. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD_OR_CJK)) {
    const word = m[0];
    const start = m.index;
    if (isCjk(word)) {
      const chars = Array.from(word);
      if (chars.length === 1) {
        out.push({ term: word, start, end: start + word.length });
        continue;
      }
      let pos = start;
      for (let i = 0; i + 1 < chars.length; i++) {
        const a = chars[i]!;
        const b = chars[i + 1]!;
        out.push({ term: fold(a + b), start: pos, end: pos + a.length + b.length });
        pos += a.length;
      }
    } else {
      const term = fold(word);
      if (term.length > 0) out.push({ term, start, end: start + word.length });
    }
  }
  return out;
}

/** The folded terms only, space-separated: what the FTS table stores (its `ascii` tokenizer splits on the spaces). */
export function termString(text: string): string {
  // Fast path for ASCII text (most of the web): same terms as tokenize(), without Unicode classes.
  if (ASCII.test(text)) {
    const words = text.match(ASCII_WORD);
    if (words === null) return '';
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      words[i] = (w.length > MAX_TERM_CHARS ? w.slice(0, MAX_TERM_CHARS) : w).toLowerCase();
    }
    return words.join(' ');
  }
  let s = '';
  for (const t of tokenize(text)) s += s.length === 0 ? t.term : ` ${t.term}`;
  return s;
}
