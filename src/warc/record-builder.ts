import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { SOFTWARE } from '../version.js';

export type WarcFields = readonly (readonly [string, string])[];

export const WARC_VERSION = 'WARC/1.1';
export const REVISIT_PROFILE = 'http://netpreserve.org/warc/1.1/revisit/identical-payload-digest';
const CRLF2 = Buffer.from('\r\n\r\n', 'latin1');

export function newRecordId(): string {
  return `<urn:uuid:${randomUUID()}>`;
}

/** Header values never carry CR or LF: a stray newline would end the header block early. */
function clean(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

/** `WARC/1.1` line, named fields, `Content-Length`, blank line. */
export function warcHead(fields: WarcFields, contentLength: number): Buffer {
  let s = `${WARC_VERSION}\r\n`;
  for (const [k, v] of fields) s += `${k}: ${clean(v)}\r\n`;
  s += `Content-Length: ${contentLength}\r\n\r\n`;
  return Buffer.from(s, 'utf8');
}

/** The two CRLFs that end every record. */
export function recordTail(): Buffer {
  return CRLF2;
}

/** `application/warc-fields` block. */
export function warcFieldsBlock(fields: WarcFields): Buffer {
  return Buffer.from(fields.map(([k, v]) => `${k}: ${clean(v)}\r\n`).join(''), 'utf8');
}

export function warcinfoFields(o: { run: string; worker: string; extra: Readonly<Record<string, string>> }): WarcFields {
  return [
    ['software', SOFTWARE],
    ['format', 'WARC File Format 1.1'],
    ['conformsTo', 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/'],
    ['hostname', hostname()],
    ['isPartOf', o.run],
    ['jarvix-run', o.run],
    ['jarvix-worker', o.worker],
    ...Object.entries(o.extra),
  ];
}

/**
 * The HTTP head as archived. undici hands us the body with the transfer coding already undone,
 * so a `Transfer-Encoding: chunked` line would describe bytes that are not there. We keep the
 * information but rename the header the way Common Crawl does (`X-Crawler-Transfer-Encoding`),
 * so warcio, pywb and FastWARC read the body as plain bytes and never try to de-chunk it.
 */
export function archivableResponseHead(head: Buffer): Buffer {
  const text = head.toString('latin1');
  if (!/\ntransfer-encoding[ \t]*:/i.test(text)) return head;
  return Buffer.from(text.replace(/\n(transfer-encoding)([ \t]*:)/gi, '\nX-Crawler-Transfer-Encoding$2'), 'latin1');
}

/** The media type of a response head (`text/html`), lowercased, without parameters. */
export function mimeOfHead(head: Buffer): string {
  const m = /\ncontent-type[ \t]*:[ \t]*([^;\r\n]*)/i.exec(head.toString('latin1'));
  const mime = m?.[1]?.trim().toLowerCase();
  return mime ? mime : 'unk';
}
