/**
 * The report's only stylesheet, inline. Screen: one column that fits a phone, wide tables scroll
 * inside their own box. Print: A4, a cover page of its own, sections that avoid breaking inside a
 * chart or a table row, links shown as text.
 */
export const STYLES = `
:root { --fg: #1d232b; --muted: #5d6b7a; --line: #d9dee4; --bar: #3b6ea8; --bg-soft: #f3f5f8;
  --crit: #a4161a; --warn: #9a6700; --info: #1f5f9c; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.7em; margin: 0 0 .2em; overflow-wrap: anywhere; }
h2 { font-size: 1.25em; margin: 1.8em 0 .5em; padding-bottom: .2em; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05em; margin: 1.2em 0 .4em; }
p { margin: .4em 0; }
.muted { color: var(--muted); fill: var(--muted); }
.cover { padding: 28px 0 8px; border-bottom: 3px solid var(--bar); margin-bottom: 12px; }
.cover .kicker { text-transform: uppercase; letter-spacing: .08em; color: var(--muted); font-size: .85em; }
.cover .keyfigs { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 14px; }
.cover .keyfig { background: var(--bg-soft); border-radius: 6px; padding: 8px 12px; min-width: 130px; }
.cover .keyfig b { display: block; font-size: 1.35em; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 8px; }
.stat { background: var(--bg-soft); border-radius: 6px; padding: 8px 10px; }
.stat span { display: block; color: var(--muted); font-size: .82em; }
.stat b { font-size: 1.15em; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: 600; margin: 0 0 4px; }
svg.chart { display: block; max-width: 100%; height: auto; font-size: 13px; }
svg .bar { fill: var(--bar); }
svg .line { fill: none; stroke: var(--bar); stroke-width: 2; }
svg .dot { fill: var(--bar); }
svg .axis { stroke: var(--line); }
svg .label { fill: var(--muted); }
svg .value { fill: var(--fg); font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .4em 0 1em; }
table { border-collapse: collapse; width: 100%; font-size: .9em; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; word-break: break-word; }
th { background: var(--bg-soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nowrap, th.nowrap { white-space: nowrap; }
td.url { min-width: 14em; max-width: 32em; font-size: .92em; }
tr { break-inside: avoid; page-break-inside: avoid; }
a { color: var(--info); }
.alerts { list-style: none; padding: 0; margin: 0; }
.alerts li { border-left: 4px solid var(--info); background: var(--bg-soft); padding: 6px 10px; margin: 4px 0; }
.alerts li.critical { border-color: var(--crit); }
.alerts li.warning { border-color: var(--warn); }
.alerts .level { font-weight: 700; text-transform: uppercase; font-size: .78em; margin-right: .5em; }
.action-BUY { color: #1a7f37; font-weight: 600; }
.action-SKIP { color: var(--muted); }
pre.config { background: var(--bg-soft); padding: 10px; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .82em; }
nav { margin: 4px 0 12px; }
footer { margin: 2em 0 1em; color: var(--muted); font-size: .85em; }
@media (max-width: 600px) {
  body { font-size: 14px; }
  main { padding: 10px; }
  .charts { grid-template-columns: 1fr; }
}
@page { size: A4; margin: 16mm 12mm 16mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  .cover { min-height: 240mm; display: flex; flex-direction: column; justify-content: center; border-bottom: none; break-after: page; page-break-after: always; }
  .cover h1 { font-size: 2.4em; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section { break-inside: auto; }
  nav { display: none; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
  .charts { grid-template-columns: 1fr 1fr; }
}
`;
