import type { Atom, ParsedQuery } from '../../src/search/query-parser.js';
import { tokenize } from '../../src/search/tokenize.js';
import type { FixturePage } from './fixture.js';
import { pageText } from './fixture.js';

/** Whether `terms` holds the atom: its terms in a row, the last one as a prefix when it is one. */
function has(terms: readonly string[], a: Atom): boolean {
  for (let i = 0; i + a.terms.length <= terms.length; i++) {
    let ok = true;
    for (let j = 0; j < a.terms.length && ok; j++) {
      const t = terms[i + j]!;
      ok = a.prefix && j === a.terms.length - 1 ? t.startsWith(a.terms[j]!) : t === a.terms[j];
    }
    if (ok) return true;
  }
  return false;
}

/** The URLs a query must find, by reading every page: the reference the index is held to. */
export function bruteForce(pages: readonly FixturePage[], q: ParsedQuery, o: { action?: string; fromMs?: number; toMs?: number } = {}): Set<string> {
  const out = new Set<string>();
  for (const p of pages) {
    const terms = tokenize(pageText(p)).map((t) => t.term);
    const host = new URL(p.url).hostname;
    if (!q.must.every((c) => c.any.some((a) => has(terms, a)))) continue;
    if (q.not.some((a) => has(terms, a))) continue;
    if (q.sites.length > 0 && !q.sites.some((s) => host === s || host.endsWith(`.${s}`))) continue;
    if (o.action !== undefined && p.action !== o.action) continue;
    if (o.fromMs !== undefined && p.fetchMs < o.fromMs) continue;
    if (o.toMs !== undefined && p.fetchMs >= o.toMs) continue;
    out.add(p.url);
  }
  return out;
}
