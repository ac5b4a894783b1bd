import type { Capture } from '../replay/index.js';
import { httpDate } from '../replay/index.js';
import { WEB, archiveUrl } from './context.js';

/**
 * RFC 7089 `Link` header of a memento: its original, the TimeGate, the TimeMap and itself.
 * URLs are relative to this server (`<…>` targets are URI-references, RFC 8288).
 */
export function mementoLink(c: Capture, rel = 'memento'): string {
  return [
    `<${c.url}>; rel="original"`,
    `<${WEB}${c.url}>; rel="timegate"`,
    `<${WEB}timemap/link/${c.url}>; rel="timemap"; type="application/link-format"`,
    `<${archiveUrl(c.timestamp, '', c.url)}>; rel="${rel}"; datetime="${httpDate(c.timestamp)}"`,
  ].join(', ');
}

/** A TimeMap in application/link-format, one memento per capture (oldest first). */
export function* timemapLines(url: string, captures: Iterable<Capture>, first: Capture, last: Capture): Generator<string> {
  yield `<${url}>; rel="original",\n`;
  yield `<${WEB}timemap/link/${url}>; rel="self"; type="application/link-format"; from="${httpDate(first.timestamp)}"; until="${httpDate(last.timestamp)}",\n`;
  yield `<${WEB}${url}>; rel="timegate"`;
  for (const c of captures) {
    const rel = c === first || c.timestamp === first.timestamp ? 'first memento' : c.timestamp === last.timestamp ? 'last memento' : 'memento';
    yield `,\n<${archiveUrl(c.timestamp, '', c.url)}>; rel="${rel}"; datetime="${httpDate(c.timestamp)}"`;
  }
  yield '\n';
}
