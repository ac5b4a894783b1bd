import { SearchQueryError } from './errors.js';
import { isCjk, tokenize } from './tokenize.js';

/**
 * A word (one term), or a phrase (several terms in a row: a quoted phrase, or a word the tokenizer
 * splits, like `e-mail` or CJK text). `prefix`: the last term matches any term it begins.
 */
export interface Atom {
  readonly terms: readonly string[];
  readonly prefix: boolean;
}

/** One AND-ed requirement: any of its alternatives (`a OR b`). */
export interface Clause {
  readonly any: readonly Atom[];
}

export interface ParsedQuery {
  readonly must: readonly Clause[];
  /** `-word`, `-"phrase"`: pages with any of these are left out. */
  readonly not: readonly Atom[];
  /** `site:host`: the page's host is one of these or a subdomain of one (several site: widen, as OR). */
  readonly sites: readonly string[];
}

export const MAX_QUERY_CHARS = 1000;
export const MAX_QUERY_ATOMS = 32;
const MIN_PREFIX_CHARS = 2;
/** C0 controls except tab, LF and CR (read as spaces), DEL and C1 controls. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/u;
const SPACE = /\s/u;

type Item = { kind: 'atom'; atom: Atom; negated: boolean; at: number } | { kind: 'site'; host: string; at: number } | { kind: 'or'; at: number };

/**
 * The query language (docs/search.md): words are AND-ed; `"exact phrase"`; `-word` or `-"phrase"`
 * excludes; `a OR b` (upper case) between two words or phrases; `site:host`; `term*` for a prefix.
 * Any other punctuation separates words, as in the indexed text, so search-engine syntax of other
 * tools (`NEAR(`, `^`, `col:`, `+`) is read as plain words and can never reach the engine as syntax.
 * Problems the user can fix (unbalanced quote, control character, a dangling OR, nothing to look
 * for, a one-letter prefix, too long) throw SearchQueryError with the position.
 */
export function parseQuery(query: string): ParsedQuery {
  if (query.length > MAX_QUERY_CHARS) throw new SearchQueryError('JVX_ERR_SEARCH_QUERY_TOO_LONG', query, `${query.length} characters; at most ${MAX_QUERY_CHARS}`);
  const control = CONTROL.exec(query);
  if (control) {
    const hex = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new SearchQueryError('JVX_ERR_SEARCH_QUERY_INVALID', query, `control character U+${hex} is not allowed`, control.index);
  }
  const items = lex(query);
  const must: Atom[][] = [];
  const not: Atom[] = [];
  const sites: string[] = [];
  let joinNext = false;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const prev = items[i - 1];
    const next = items[i + 1];
    if (it.kind === 'or') {
      const positive = (x: Item | undefined): boolean => x?.kind === 'atom' && !x.negated;
      if (!positive(prev) || !positive(next)) throw new SearchQueryError('JVX_ERR_SEARCH_QUERY_INVALID', query, 'OR needs a word or "phrase" on both sides (an -exclusion or site: cannot be OR-ed)', it.at);
      joinNext = true;
      continue;
    }
    if (it.kind === 'site') sites.push(it.host);
    else if (it.negated) not.push(it.atom);
    else if (joinNext) must.at(-1)!.push(it.atom);
    else must.push([it.atom]);
    joinNext = false;
  }
  const atoms = must.reduce((n, c) => n + c.length, 0) + not.length + sites.length;
  if (atoms > MAX_QUERY_ATOMS) throw new SearchQueryError('JVX_ERR_SEARCH_QUERY_TOO_LONG', query, `${atoms} words, phrases and filters; at most ${MAX_QUERY_ATOMS}`);
  if (must.length === 0 && sites.length === 0) {
    const detail = not.length > 0 ? 'only exclusions: say what to look for as well' : 'no word to search for';
    throw new SearchQueryError('JVX_ERR_SEARCH_QUERY_EMPTY', query, detail);
  }
  return { must: must.map((any) => ({ any })), not, sites };
}

function lex(query: string): Item[] {
  const items: Item[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    let negated = false;
    if (ch === '-' && i + 1 < query.length && !SPACE.test(query[i + 1]!)) {
      negated = true;
      i++;
    }
    if (query[i] === '"') {
      const close = query.indexOf('"', i + 1);
      if (close < 0) throw new SearchQueryError('JVX_ERR_SEARCH_QUERY_INVALID', query, 'unbalanced quote: a phrase opened here is never closed', i);
      const prefix = query[close + 1] === '*';
      const atom = toAtom(query, query.slice(i + 1, close), prefix, start);
      i = close + (prefix ? 2 : 1);
      if (atom) items.push({ kind: 'atom', atom, negated, at: start });
      continue;
    }
    let end = i;
    while (end < query.length && !SPACE.test(query[end]!) && query[end] !== '"') end++;
    const word = query.slice(i, end);
    i = end;
    if (!negated && word === 'OR') {
      items.push({ kind: 'or', at: start });
      continue;
    }
    if (!negated && /^site:/i.test(word)) {
      items.push({ kind: 'site', host: normalizeSite(query, word.slice(5), start), at: start });
      continue;
    }
    const prefix = word.endsWith('*');
    const atom = toAtom(query, prefix ? word.replace(/\*+$/, '') : word, prefix, start);
    if (atom) items.push({ kind: 'atom', atom, negated, at: start });
  }
  return items;
}

function toAtom(query: string, text: string, prefix: boolean, at: number): Atom | null {
  const terms = tokenize(text).map((t) => t.term);
  if (terms.length === 0) return null;
  if (prefix) {
    const last = terms.at(-1)!;
    if (!isCjk(last) && Array.from(last).length < MIN_PREFIX_CHARS) {
      throw new SearchQueryError('JVX_ERR_SEARCH_QUERY_INVALID', query, `prefix "${last}*" is too short: give at least ${MIN_PREFIX_CHARS} characters before *`, at);
    }
  }
  return { terms, prefix };
}

/** `site:Shop.Example.COM` → `shop.example.com` (IDN to punycode, as URL hosts are stored). */
export function normalizeSite(query: string, host: string, at: number): string {
  const bare = host.replace(/\.$/, '');
  let parsed = '';
  try {
    parsed = new URL(`http://${bare}/`).hostname;
  } catch {
    parsed = '';
  }
  if (bare === '' || parsed === '' || /[/?#@:]/.test(bare)) {
    throw new SearchQueryError('JVX_ERR_SEARCH_QUERY_INVALID', query, `site: needs a host name, like site:example.com; got ${JSON.stringify(host)}`, at);
  }
  return parsed;
}
