import { diffLines, NotCapturedError, parseTimestamp, type DiffBlock } from '../../replay/index.js';
import type { ServeContext } from '../context.js';
import type { RouteContext } from '../router.js';
import { linesOf } from '../routes/diff.js';
import { capturesOf, replayFrame, stampText } from './captures.js';
import { UiBadParamError, urlParam } from './errors.js';
import { h, layout, runHref, sendPage } from './layout.js';
import type { RunData } from './run-data.js';

const DIFF_TIMEOUT_MS = 1000;

function block(b: DiffBlock): string {
  if (b.op === 'keep') return (b.lines ?? []).map((l) => `<p>${h(l)}</p>`).join('');
  if (b.op === 'add') return (b.lines ?? []).map((l) => `<p class="add"><ins>${h(l)}</ins></p>`).join('');
  if (b.op === 'remove') return (b.lines ?? []).map((l) => `<p class="remove"><del>${h(l)}</del></p>`).join('');
  if (b.words) return `<p>${b.words.map((w) => (w.op === 'add' ? `<ins>${h(w.text)}</ins>` : w.op === 'remove' ? `<del>${h(w.text)}</del>` : h(w.text))).join('')}</p>`;
  return [...(b.removed ?? []).map((l) => `<p class="remove"><del>${h(l)}</del></p>`), ...(b.added ?? []).map((l) => `<p class="add"><ins>${h(l)}</ins></p>`)].join('');
}

/**
 * `/runs/<id>/diff?url=&a=&b=`: two captures side by side in replay frames, their text diff
 * below (the diff route's logic: visible text block by block, then word by word). Without `a`/`b`
 * the two newest captures are compared.
 */
export async function diffView(ctx: RouteContext, data: RunData, sc: ServeContext, run: string): Promise<void> {
  data.dir(run);
  const url = urlParam(ctx.query);
  const caps = capturesOf(sc, url);
  if (caps.length === 0) throw new NotCapturedError(url);
  const pick = (name: 'a' | 'b', fallback: number): (typeof caps)[number] => {
    const v = ctx.query.get(name);
    if (v === null || v === '') return caps[Math.max(0, caps.length + fallback)]!;
    const t = parseTimestamp(v);
    const c = caps.find((x) => x.timestamp === v) ?? sc.index.nearest(caps[0]!.url, caps[0]!.urlkey, t.low);
    if (!c) throw new UiBadParamError(name, 'a capture timestamp of this URL', v);
    return c;
  };
  const a = pick('a', -2);
  const b = pick('b', -1);
  const [la, lb] = await Promise.all([linesOf(sc, a, 'text'), linesOf(sc, b, 'text')]);
  const d = diffLines(la, lb, DIFF_TIMEOUT_MS);
  const title = `Diff of ${url}`;
  const body =
    `<h1>${h(title)}</h1><p><a href="${h(runHref(run, 'page', { url }))}">page</a> · ${h(stampText(a.timestamp))} → ${h(stampText(b.timestamp))} · ` +
    `<span class="add">+${d.lines.added} blocks</span> <span class="remove">−${d.lines.removed} blocks</span>${d.partial ? ' · partial (time cap)' : ''}</p>` +
    `<div class="frames">${replayFrame(a.timestamp, a.url, `capture of ${stampText(a.timestamp)}`)}${replayFrame(b.timestamp, b.url, `capture of ${stampText(b.timestamp)}`)}</div>` +
    `<h2>Text changes</h2><div class="diff card">${d.blocks.map(block).join('') || '<p class="empty">no text</p>'}</div>`;
  sendPage(ctx.res, 200, layout(`${title} (${a.timestamp} → ${b.timestamp})`, body, { run }));
}
