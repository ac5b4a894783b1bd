import { normalizeUrl, type Capture } from '../../replay/index.js';
import type { ServeContext } from '../context.js';
import { h } from './layout.js';

/** More captures than this of one URL are not listed (the timeline route has them all). */
export const MAX_TIMELINE = 500;

/** The URL's captures, oldest first, from the capture index (bounded). */
export function capturesOf(sc: ServeContext, url: string): Capture[] {
  const out: Capture[] = [];
  for (const c of sc.index.query(normalizeUrl(url), { matchType: 'exact', limit: MAX_TIMELINE })) out.push(c);
  return out;
}

/** Colour class by the share of simhash bits that changed: none, little, some, much, most. */
export function changeClass(c: Capture): string {
  if (c.change === null || c.dup) return 'chg0';
  return c.change < 0.05 ? 'chg1' : c.change < 0.2 ? 'chg2' : c.change < 0.4 ? 'chg3' : 'chg4';
}

export const stampText = (ts: string): string => `${ts.slice(0, 4)}-${ts.slice(4, 6)}-${ts.slice(6, 8)} ${ts.slice(8, 10)}:${ts.slice(10, 12)}:${ts.slice(12, 14)}`;

/** The timeline: one link per capture, coloured by change, the shown one marked `aria-current`. */
export function timeline(caps: readonly Capture[], current: string, href: (c: Capture) => string): string {
  return `<ol class="timeline" aria-label="captures">${caps
    .map((c) => {
      const label = `${stampText(c.timestamp)} · ${c.status}${c.dup ? ' · same' : c.change === null ? '' : ` · ${Math.round(c.change * 100)}% changed`}`;
      return `<li><a class="${changeClass(c)}" href="${h(href(c))}"${c.timestamp === current ? ' aria-current="true"' : ''}>${h(label)}</a></li>`;
    })
    .join('')}</ol>`;
}

/** A replay frame: sandboxed without scripts, so an archived page cannot act on the UI. */
export const replayFrame = (ts: string, url: string, title: string): string =>
  `<iframe class="replay" sandbox="allow-same-origin" src="${h(`/web/${ts}/${url}`)}" title="${h(title)}"></iframe>`;
