import { escapeHtml } from '../html/escape.js';

/**
 * Chromium's header and footer templates: small HTML documents of their own, with no access to the
 * page's stylesheet; the classes pageNumber and totalPages are filled in by Chromium.
 */
const STYLE = 'font: 8px system-ui, sans-serif; color: #5d6b7a; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;';

export function headerTemplate(run: string): string {
  return `<div style="${STYLE}"><span>jarvix report · run ${escapeHtml(run)}</span><span class="date"></span></div>`;
}

export function footerTemplate(run: string): string {
  return `<div style="${STYLE}"><span>${escapeHtml(run)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}
