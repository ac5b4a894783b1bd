import type { Comparison, ReportData } from '../data/types.js';
import { comparisonSection } from './comparison-section.js';
import { escapeHtml } from './escape.js';
import { formatTime } from './format.js';
import { alertsSection, chartsSection, coverSection, summarySection } from './sections-overview.js';
import { configSection, errorsSection, hostsSection, topPagesSection } from './sections-tables.js';
import { STYLES } from './styles.js';

/**
 * No script, no fetch, no frame, no form: even if a string slipped past escaping, the browser would
 * refuse to run it or load anything. Only the inline stylesheet and inline SVG are allowed.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The whole report as one self-contained HTML document. */
export function renderReportHtml(data: ReportData, comparison: Comparison | null = null): string {
  const nav = [
    ['summary', 'Summary'],
    ['alerts', 'Alerts'],
    ['charts', 'Charts'],
    ['top', 'Top pages'],
    ['hosts', 'Hosts'],
    ['errors', 'Errors'],
    ...(comparison ? [['comparison', 'Comparison']] : []),
    ['config', 'Configuration'],
  ]
    .map(([id, label]) => `<a href="#${id}">${label}</a>`)
    .join(' · ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="jarvix">
<title>jarvix report: ${escapeHtml(data.run)}</title>
<style>${STYLES}</style>
</head>
<body>
<main>
${coverSection(data)}
<nav class="muted">${nav}</nav>
${summarySection(data)}
${alertsSection(data)}
${chartsSection(data)}
${topPagesSection(data)}
${hostsSection(data)}
${errorsSection(data)}
${comparison ? comparisonSection(comparison) : ''}
${configSection(data)}
<footer>Report of run ${escapeHtml(data.run)} generated ${escapeHtml(formatTime(data.generatedAt))} by jarvix from the run's committed dataset.</footer>
</main>
</body>
</html>
`;
}
