import type { ReportData } from '../data/types.js';
import { escapeHtml } from './escape.js';
import { formatBytes, formatExact, formatFixed, formatInt, formatMs, formatPercent, formatTime } from './format.js';
import { barChart, columnChart, lineChart } from './svg-charts.js';
import { stat } from './table.js';

/** The first page of the PDF and the header on screen: what the run is and its headline figures. */
export function coverSection(d: ReportData): string {
  const s = d.summary;
  const status = d.manifest?.status ?? 'unknown';
  const figure = (label: string, value: string): string => `<div class="keyfig"><span class="muted">${label}</span><b>${value}</b></div>`;
  return `<header class="cover">
<div class="kicker">jarvix run report</div>
<h1>Run ${escapeHtml(d.run)}</h1>
<p class="muted">Status ${escapeHtml(status)} · first fetch ${escapeHtml(formatTime(s.firstFetch))} · last fetch ${escapeHtml(formatTime(s.lastFetch))}</p>
<p class="muted">Generated ${escapeHtml(formatTime(d.generatedAt))}${d.manifest ? ` by jarvix ${escapeHtml(d.manifest.tool?.version)}` : ''}</p>
<div class="keyfigs">
${figure('Pages attempted', formatInt(s.attempted))}
${figure('Fetched', formatInt(s.fetched))}
${figure('Success rate', formatPercent(s.successRate))}
${figure('Hosts', formatInt(d.hostCount))}
${figure('Mean score', formatFixed(d.scores.mean, 2))}
</div>
</header>`;
}

export function summarySection(d: ReportData): string {
  const s = d.summary;
  return `<section id="summary"><h2>Summary</h2>
<div class="grid">
${stat('Pages attempted', formatInt(s.attempted))}
${stat('Fetched', formatInt(s.fetched))}
${stat('Failed', formatInt(s.failed))}
${stat('Refused (policy, robots)', formatInt(s.refused))}
${stat('Robots-blocked', formatInt(s.robotsBlocked))}
${stat('Success rate', formatPercent(s.successRate))}
${stat('Duration', formatMs(s.durationMs))}
${stat('Pages/s', formatFixed(s.pagesPerSecond, 2))}
${stat('Latency p50', formatMs(s.latencyMs.p50))}
${stat('Latency p95', formatMs(s.latencyMs.p95))}
${stat('Latency p99', formatMs(s.latencyMs.p99))}
${stat('Latency mean', formatMs(s.latencyMs.mean))}
${stat('Payload bytes', formatBytes(s.payloadBytes))}
${stat('Bytes transferred', formatBytes(s.transferredBytes))}
${stat('Dead letters', formatInt(s.deadLetters))}
${stat('Scored pages', formatInt(d.scores.scored))}
</div>
<p class="muted">Success rate = fetched ÷ (fetched + failed); refusals are decided before any request and do not count against it. Latency is the time spent on a URL with an HTTP answer, all attempts included.</p>
</section>`;
}

export function alertsSection(d: ReportData): string {
  const items = d.alerts.map((a) => `<li class="${a.level}"><span class="level">${a.level}</span>${escapeHtml(a.text)}</li>`);
  return `<section id="alerts"><h2>Alerts</h2>${items.length ? `<ul class="alerts">${items.join('\n')}</ul>` : '<p class="muted">No alerts.</p>'}</section>`;
}

export function chartsSection(d: ReportData): string {
  const sc = d.scores;
  const scoreNote =
    sc.scored === 0
      ? 'No page has a score.'
      : `${formatInt(sc.scored)} scored pages · min ${formatExact(sc.min)} · median ${formatExact(sc.median)} · mean ${formatFixed(sc.mean, 2)} · max ${formatExact(sc.max)}` +
        (sc.outOfRange > 0 ? ` · ${formatInt(sc.outOfRange)} outside 0–100` : '');
  const tp = d.throughput;
  const bucketS = tp.bucketMs / 1000;
  const fig = (caption: string, svg: string, note = ''): string => `<figure><figcaption>${caption}</figcaption>${svg}${note ? `<p class="muted">${note}</p>` : ''}</figure>`;
  return `<section id="charts"><h2>Charts</h2><div class="charts">
${fig('Score distribution', columnChart('Pages per score range', sc.bins), escapeHtml(scoreNote))}
${fig('Actions', barChart('Pages per action', d.actions))}
${fig('HTTP status codes', barChart('Pages per HTTP status', d.statuses))}
${fig(
  'Throughput over time',
  lineChart('Pages per second over the run', tp.points.map((p) => ({ x: p.offsetMs, y: p.pagesPerSecond })), (x) => `+${formatMs(x)}`, (y) => `${formatExact(Math.round(y * 100) / 100)}/s`),
  `Pages finished per ${formatExact(bucketS)} s bucket, by fetch time.`,
)}
${fig('Top hosts by pages', barChart('Pages per host', d.hostsByPages.slice(0, 10).map((h) => ({ label: h.host, count: h.pages }))))}
${fig('Top hosts by errors', barChart('Failed pages per host', d.hostsByErrors.slice(0, 10).map((h) => ({ label: h.host, count: h.errors }))))}
</div></section>`;
}
