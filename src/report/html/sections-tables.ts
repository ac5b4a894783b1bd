import type { ReportData } from '../data/types.js';
import { escapeHtml, linkTo, truncate } from './escape.js';
import { formatExact, formatInt, formatMs, formatTime } from './format.js';
import { table } from './table.js';

const action = (a: string | null): string => (a === null ? '—' : `<span class="action-${escapeHtml(a.replace(/[^A-Za-z]/g, ''))}">${escapeHtml(a)}</span>`);

export function topPagesSection(d: ReportData): string {
  const rows = d.topPages.map((p, i) => [
    formatInt(i + 1),
    escapeHtml(p.title ?? '—'),
    linkTo(p.url),
    formatExact(p.score),
    action(p.action),
    formatExact(p.confidence),
    escapeHtml(p.reason ?? ''),
  ]);
  return `<section id="top"><h2>Top ${formatInt(d.topN)} pages by score</h2>
${table([{ head: '#', num: true }, { head: 'Title' }, { head: 'URL', className: 'url' }, { head: 'Score', num: true }, { head: 'Action', className: 'nowrap' }, { head: 'Confidence', num: true }, { head: 'Reason' }], rows, 'No scored pages.')}
</section>`;
}

export function hostsSection(d: ReportData): string {
  const rows = d.hostsByPages.map((h) => [
    escapeHtml(h.host),
    formatInt(h.pages),
    formatInt(h.fetched),
    formatInt(h.errors),
    formatInt(h.robotsBlocked),
    formatMs(h.avgLatencyMs),
    formatMs(h.delayMs),
  ]);
  const more = d.hostCount > d.hostsByPages.length ? `<p class="muted">The ${formatInt(d.hostsByPages.length)} hosts with the most pages of ${formatInt(d.hostCount)}.</p>` : '';
  return `<section id="hosts"><h2>Hosts</h2>${more}
${table([{ head: 'Host' }, { head: 'Pages', num: true }, { head: 'Fetched', num: true }, { head: 'Errors', num: true }, { head: 'Robots-blocked', num: true }, { head: 'Avg latency', num: true }, { head: 'Politeness delay', num: true }], rows, 'No hosts.')}
</section>`;
}

export function errorsSection(d: ReportData): string {
  const rows = d.errorClasses.map((e) => [
    `<code>${escapeHtml(e.code)}</code>`,
    e.kind,
    formatInt(e.count),
    e.examples.map((x) => `${linkTo(x.url)}${x.message ? `<br><span class="muted">${escapeHtml(truncate(x.message, 200))}</span>` : ''}`).join('<br>'),
  ]);
  const dead = d.deadLetters.map((x) => [escapeHtml(x.stage), `<code>${escapeHtml(x.code)}</code>`, formatInt(x.count), linkTo(x.exampleUrl)]);
  return `<section id="errors"><h2>Errors by code</h2>
${table([{ head: 'Code' }, { head: 'Kind' }, { head: 'Pages', num: true }, { head: 'Examples', className: 'url' }], rows, 'No page failed or was refused.')}
<h3>Dead letters by stage</h3>
${table([{ head: 'Stage' }, { head: 'Code' }, { head: 'Count', num: true }, { head: 'Example', className: 'url' }], dead, 'No dead letters.')}
</section>`;
}

/** run.json as written: configuration, versions and sessions (values escaped, secrets are not stored there). */
export function configSection(d: ReportData): string {
  const m = d.manifest;
  if (!m) return `<section id="config"><h2>Configuration</h2><p class="muted">No run.json in the run folder.</p></section>`;
  const sessions = (m.sessions ?? []).map((s) => [escapeHtml(formatTime(s.startedAt)), escapeHtml(formatTime(s.finishedAt)), escapeHtml(s.host), escapeHtml(s.worker), escapeHtml(s.outcome ?? '—')]);
  return `<section id="config"><h2>Configuration and versions</h2>
<p>jarvix ${escapeHtml(m.tool?.version)} on Node ${escapeHtml(m.tool?.node)} · created ${escapeHtml(formatTime(m.createdAt))} · updated ${escapeHtml(formatTime(m.updatedAt))} · ${formatInt(m.checkpoints?.count ?? 0)} checkpoints</p>
<h3>Sessions</h3>
${table([{ head: 'Started' }, { head: 'Finished' }, { head: 'Host' }, { head: 'Worker' }, { head: 'Outcome' }], sessions, 'No sessions recorded.')}
<h3>Configuration</h3>
<pre class="config">${escapeHtml(JSON.stringify(m.config ?? {}, null, 2))}</pre>
</section>`;
}
