import { createHash } from 'node:crypto';
import type { Atom, ParsedQuery } from './query-parser.js';

/**
 * The FTS5 MATCH expression of a parsed query. Terms come from the tokenizer (letters, digits and
 * marks only), so quoting them is enough: no user text is ever FTS5 syntax. Every group is
 * parenthesized, so FTS5's own precedence never matters.
 *
 * Filters are terms of the `meta` column: `s<hash>` for the page's host and each parent domain
 * (site:example.com matches shop.example.com), `a<action>` for the action. A filter is then one
 * more posting list to intersect, as fast as a word, instead of a row-by-row check.
 */
export interface FtsFilters {
  readonly sites: readonly string[];
  readonly actions: readonly string[];
}

export function atomExpr(a: Atom): string {
  return `"${a.terms.join(' ')}"${a.prefix ? ' *' : ''}`;
}

export function ftsExpression(q: ParsedQuery, filters: FtsFilters): string {
  const parts: string[] = [];
  if (q.must.length > 0) parts.push(`body : (${q.must.map((c) => (c.any.length === 1 ? atomExpr(c.any[0]!) : `(${c.any.map(atomExpr).join(' OR ')})`)).join(' AND ')})`);
  if (filters.sites.length > 0) parts.push(`meta : (${filters.sites.map((s) => `"${siteTerm(s)}"`).join(' OR ')})`);
  if (filters.actions.length > 0) parts.push(`meta : (${filters.actions.map((a) => `"${actionTerm(a)}"`).join(' OR ')})`);
  let expr = parts.map((p) => `(${p})`).join(' AND ');
  if (q.not.length > 0) expr = `(${expr}) NOT (body : (${q.not.map(atomExpr).join(' OR ')}))`;
  return expr;
}

export function siteTerm(host: string): string {
  return `s${createHash('sha1').update(host).digest('hex').slice(0, 16)}`;
}

export function actionTerm(action: string): string {
  return `a${action.toLowerCase()}`;
}

/** The meta terms of a page: its host and every parent domain, and its action. */
export function metaTerms(host: string | null, action: string | null): string {
  const out: string[] = [];
  if (host) {
    const labels = host.split('.');
    for (let i = 0; i < labels.length; i++) out.push(siteTerm(labels.slice(i).join('.')));
  }
  if (action) out.push(actionTerm(action));
  return out.join(' ');
}
