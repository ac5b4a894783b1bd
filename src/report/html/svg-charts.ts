import type { Bucket } from '../data/types.js';
import { escapeHtml, truncate } from './escape.js';
import { formatExact, formatInt } from './format.js';

/**
 * Inline SVG charts, generated here: no chart library, no external asset, nothing that runs. Every
 * label passes through escapeHtml (host names and codes come from the run); values are shown exactly
 * beside each bar, and a chart with nothing to show says so instead of dividing by zero.
 */

const W = 480;
const c = (v: number): string => (Math.round(v * 100) / 100).toString();

function frame(title: string, height: number, body: string): string {
  return `<svg class="chart" role="img" viewBox="0 0 ${W} ${c(height)}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>${body}</svg>`;
}

function empty(title: string): string {
  return frame(title, 40, `<text x="${W / 2}" y="25" text-anchor="middle" class="muted">no data</text>`);
}

/** Horizontal bars, one per bucket, value written at the end of each. */
export function barChart(title: string, buckets: readonly Bucket[], labelChars = 22): string {
  const max = buckets.reduce((m, b) => Math.max(m, b.count), 0);
  if (buckets.length === 0 || max <= 0) return empty(title);
  const rowH = 22;
  const labelW = 150;
  const valueW = 70;
  const barMax = W - labelW - valueW;
  const rows = buckets.map((b, i) => {
    const y = i * rowH + 4;
    const w = (b.count / max) * barMax;
    return (
      `<g><title>${escapeHtml(b.label)}: ${formatExact(b.count)}</title>` +
      `<text x="${labelW - 6}" y="${c(y + 13)}" text-anchor="end" class="label">${escapeHtml(truncate(b.label, labelChars))}</text>` +
      `<rect x="${labelW}" y="${c(y)}" width="${c(Math.max(w, b.count > 0 ? 1 : 0))}" height="${rowH - 6}" class="bar"/>` +
      `<text x="${c(labelW + w + 4)}" y="${c(y + 13)}" class="value">${formatInt(b.count)}</text></g>`
    );
  });
  return frame(title, buckets.length * rowH + 8, rows.join(''));
}

/** Vertical columns (a histogram): labels under, counts over each column. */
export function columnChart(title: string, buckets: readonly Bucket[]): string {
  const max = buckets.reduce((m, b) => Math.max(m, b.count), 0);
  if (buckets.length === 0 || max <= 0) return empty(title);
  const h = 200;
  const top = 20;
  const bottom = 24;
  const plotH = h - top - bottom;
  const slot = W / buckets.length;
  const cols = buckets.map((b, i) => {
    const bh = (b.count / max) * plotH;
    const x = i * slot + 4;
    const y = top + plotH - bh;
    return (
      `<g><title>${escapeHtml(b.label)}: ${formatExact(b.count)}</title>` +
      `<rect x="${c(x)}" y="${c(y)}" width="${c(slot - 8)}" height="${c(Math.max(bh, b.count > 0 ? 1 : 0))}" class="bar"/>` +
      `<text x="${c(x + (slot - 8) / 2)}" y="${c(y - 4)}" text-anchor="middle" class="value">${formatInt(b.count)}</text>` +
      `<text x="${c(x + (slot - 8) / 2)}" y="${h - 6}" text-anchor="middle" class="label">${escapeHtml(b.label)}</text></g>`
    );
  });
  return frame(title, h, `<line x1="0" x2="${W}" y1="${top + plotH}" y2="${top + plotH}" class="axis"/>${cols.join('')}`);
}

export interface LinePoint {
  readonly x: number;
  readonly y: number;
}

/** A line over time with its peak and the axis ends labelled; x and y in the caller's units. */
export function lineChart(title: string, points: readonly LinePoint[], formatX: (x: number) => string, formatY: (y: number) => string): string {
  const maxY = points.reduce((m, p) => Math.max(m, p.y), 0);
  if (points.length === 0 || maxY <= 0) return empty(title);
  const h = 200;
  const left = 60;
  const right = 10;
  const top = 16;
  const bottom = 24;
  const plotW = W - left - right;
  const plotH = h - top - bottom;
  const minX = points[0]!.x;
  const spanX = Math.max(points[points.length - 1]!.x - minX, 1);
  const px = (x: number): number => left + (points.length === 1 ? plotW / 2 : ((x - minX) / spanX) * plotW);
  const py = (y: number): number => top + plotH - (y / maxY) * plotH;
  const path = points.map((p) => `${c(px(p.x))},${c(py(p.y))}`).join(' ');
  const dots = points.length <= 60 ? points.map((p) => `<circle cx="${c(px(p.x))}" cy="${c(py(p.y))}" r="2" class="dot"><title>${escapeHtml(`${formatX(p.x)}: ${formatY(p.y)}`)}</title></circle>`).join('') : '';
  return frame(
    title,
    h,
    `<line x1="${left}" x2="${W - right}" y1="${top + plotH}" y2="${top + plotH}" class="axis"/>` +
      `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" class="axis"/>` +
      `<text x="${left - 6}" y="${top + 4}" text-anchor="end" class="label">${escapeHtml(formatY(maxY))}</text>` +
      `<text x="${left - 6}" y="${top + plotH}" text-anchor="end" class="label">0</text>` +
      `<text x="${left}" y="${h - 6}" class="label">${escapeHtml(formatX(minX))}</text>` +
      `<text x="${W - right}" y="${h - 6}" text-anchor="end" class="label">${escapeHtml(formatX(points[points.length - 1]!.x))}</text>` +
      `<polyline points="${path}" class="line"/>${dots}`,
  );
}
