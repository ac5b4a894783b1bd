import type { Atom } from './query-parser.js';
import { tokenize, type Token } from './tokenize.js';

export interface Snippet {
  /** Plain text of the passage ('…' where it was cut). */
  text: string;
  /** [start, end) offsets in `text` of each matched word. */
  marks: [number, number][];
}

const WINDOW_TOKENS = 30;
/** Only the first part of a long page is looked at: a snippet must stay cheap. */
const MAX_SCAN_CHARS = 200_000;
const MAX_HITS = 256;

/**
 * The passage of `text` with the most distinct query atoms in a window of WINDOW_TOKENS tokens,
 * matched the way the index matches (folded terms, phrases in a row, prefixes).
 */
export function makeSnippet(source: string, atoms: readonly Atom[]): Snippet {
  const text = source.length > MAX_SCAN_CHARS ? source.slice(0, MAX_SCAN_CHARS) : source;
  const tokens = tokenize(text);
  const hits: { at: number; len: number; atom: number }[] = [];
  // Bounded: a word repeated thousands of times must not make the window search quadratic.
  for (let i = 0; i < tokens.length && hits.length < MAX_HITS; i++) {
    atoms.forEach((a, ai) => {
      if (matchesAt(tokens, i, a)) hits.push({ at: i, len: a.terms.length, atom: ai });
    });
  }
  let bestStart = 0;
  let bestScore = -1;
  for (const h of hits) {
    const start = Math.max(0, h.at - 5);
    const inWindow = hits.filter((x) => x.at >= start && x.at < start + WINDOW_TOKENS);
    const score = new Set(inWindow.map((x) => x.atom)).size * 100 + inWindow.length;
    if (score > bestScore) {
      bestScore = score;
      bestStart = start;
    }
  }
  if (tokens.length === 0) return { text: text.slice(0, 200).trim(), marks: [] };
  const first = tokens[bestStart]!;
  const last = tokens[Math.min(tokens.length, bestStart + WINDOW_TOKENS) - 1]!;
  const from = first.start;
  const to = last.end;
  const lead = from > 0 ? '…' : '';
  const tail = to < source.length ? '…' : '';
  const body = text.slice(from, to).replace(/\s+/g, ' ');
  // Offsets shift where whitespace runs were collapsed: map each mark through the same collapse.
  const marks: [number, number][] = [];
  for (const h of hits) {
    if (h.at < bestStart || h.at + h.len > bestStart + WINDOW_TOKENS) continue;
    const s = collapsedOffset(text, from, tokens[h.at]!.start) + lead.length;
    const e = collapsedOffset(text, from, tokens[h.at + h.len - 1]!.end) + lead.length;
    if (marks.length === 0 || marks.at(-1)![1] <= s) marks.push([s, e]);
  }
  return { text: `${lead}${body}${tail}`, marks };
}

/** `<mark>` around the matched words, the rest HTML-escaped. */
export function snippetHtml(s: Snippet): string {
  let out = '';
  let pos = 0;
  for (const [a, b] of s.marks) {
    out += `${escapeHtml(s.text.slice(pos, a))}<mark>${escapeHtml(s.text.slice(a, b))}</mark>`;
    pos = b;
  }
  return out + escapeHtml(s.text.slice(pos));
}

function matchesAt(tokens: readonly Token[], i: number, a: Atom): boolean {
  const n = a.terms.length;
  if (i + n > tokens.length) return false;
  for (let j = 0; j < n; j++) {
    const t = tokens[i + j]!.term;
    const want = a.terms[j]!;
    if (a.prefix && j === n - 1 ? !t.startsWith(want) : t !== want) return false;
  }
  return true;
}

function collapsedOffset(text: string, from: number, at: number): number {
  return text.slice(from, at).replace(/\s+/g, ' ').length;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
