import type { Comparison } from '../data/types.js';
import { escapeHtml, linkTo } from './escape.js';
import { formatDelta, formatExact, formatFixed, formatInt, formatMs, formatPercent } from './format.js';
import { table } from './table.js';

const pctPoints = (v: number): string => `${(v * 100).toFixed(1)} pt`;
const fixed2 = (v: number): string => formatFixed(v, 2);
const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);

/** How this run differs from a baseline run of the same seeds: figures, actions, pages and hosts. */
export function comparisonSection(c: Comparison): string {
  const b = c.before.summary;
  const a = c.after.summary;
  const figures: [string, string, string, string][] = [
    ['Pages attempted', formatInt(b.attempted), formatInt(a.attempted), formatDelta(a.attempted - b.attempted, formatInt)],
    ['Fetched', formatInt(b.fetched), formatInt(a.fetched), formatDelta(a.fetched - b.fetched, formatInt)],
    ['Failed', formatInt(b.failed), formatInt(a.failed), formatDelta(a.failed - b.failed, formatInt)],
    ['Robots-blocked', formatInt(b.robotsBlocked), formatInt(a.robotsBlocked), formatDelta(a.robotsBlocked - b.robotsBlocked, formatInt)],
    ['Success rate', formatPercent(b.successRate), formatPercent(a.successRate), formatDelta(diff(b.successRate, a.successRate), pctPoints)],
    ['Latency p50', formatMs(b.latencyMs.p50), formatMs(a.latencyMs.p50), formatDelta(diff(b.latencyMs.p50, a.latencyMs.p50), formatMs)],
    ['Latency p95', formatMs(b.latencyMs.p95), formatMs(a.latencyMs.p95), formatDelta(diff(b.latencyMs.p95, a.latencyMs.p95), formatMs)],
    ['Mean score', formatFixed(c.before.scores.mean, 2), formatFixed(c.after.scores.mean, 2), formatDelta(diff(c.before.scores.mean, c.after.scores.mean), fixed2)],
    ['Median score', formatExact(c.before.scores.median), formatExact(c.after.scores.median), formatDelta(diff(c.before.scores.median, c.after.scores.median))],
  ];
  const labels = [...new Set([...c.before.actions.map((x) => x.label), ...c.after.actions.map((x) => x.label)])];
  const countOf = (list: readonly { label: string; count: number }[], label: string): number => list.find((x) => x.label === label)?.count ?? 0;
  for (const l of labels) {
    const x = countOf(c.before.actions, l);
    const y = countOf(c.after.actions, l);
    figures.push([`Action ${escapeHtml(l)}`, formatInt(x), formatInt(y), formatDelta(y - x, formatInt)]);
  }
  const transitions = c.transitions.map((t) => [escapeHtml(t.from), escapeHtml(t.to), formatInt(t.count), t.from === t.to ? 'unchanged' : 'changed']);
  const movers = c.movers.map((m) => [
    escapeHtml(m.title ?? '—'),
    linkTo(m.url),
    formatExact(m.before),
    formatExact(m.after),
    formatDelta(diff(m.before, m.after)),
    `${escapeHtml(m.actionBefore ?? '—')} → ${escapeHtml(m.actionAfter ?? '—')}`,
  ]);
  const hosts = c.hosts.map((h) => [
    escapeHtml(h.host),
    formatInt(h.pagesBefore),
    formatInt(h.pagesAfter),
    formatDelta(h.pagesAfter - h.pagesBefore, formatInt),
    formatInt(h.errorsBefore),
    formatInt(h.errorsAfter),
    formatDelta(h.errorsAfter - h.errorsBefore, formatInt),
  ]);
  return `<section id="comparison"><h2>Compared with run ${escapeHtml(c.baseline)}</h2>
<p>${formatInt(c.urls.shared)} URLs in both runs · ${formatInt(c.urls.onlyBaseline)} only in ${escapeHtml(c.baseline)} · ${formatInt(c.urls.onlyCurrent)} only in ${escapeHtml(c.current)}</p>
${table([{ head: 'Figure' }, { head: escapeHtml(c.baseline), num: true }, { head: escapeHtml(c.current), num: true }, { head: 'Change', num: true }], figures)}
<h3>Action transitions (URLs in both runs)</h3>
${table([{ head: 'Before' }, { head: 'After' }, { head: 'URLs', num: true }, { head: '' }], transitions, 'No URL in common.')}
<h3>Largest score changes</h3>
${table([{ head: 'Title' }, { head: 'URL', className: 'url' }, { head: 'Before', num: true }, { head: 'After', num: true }, { head: 'Change', num: true }, { head: 'Action' }], movers, 'No score or action changed.')}
<h3>Hosts that changed</h3>
${table([{ head: 'Host' }, { head: 'Pages before', num: true }, { head: 'Pages after', num: true }, { head: 'Δ', num: true }, { head: 'Errors before', num: true }, { head: 'Errors after', num: true }, { head: 'Δ', num: true }], hosts, 'No host changed.')}
</section>`;
}
