export type ContentKind = 'html' | 'text' | 'other';

/** The MIME type the bytes are, from the header checked against magic numbers and a peek at the start. */
export function detectMime(body: Uint8Array, contentType: string | null | undefined): { mime: string; kind: ContentKind; mismatch: boolean } {
  const declared = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const magic = magicMime(body);
  // Binary magic beats a header: servers label PDFs and images text/html more often than the reverse.
  if (magic) return { mime: magic, kind: 'other', mismatch: declared !== '' && declared !== magic };
  if (declared === 'text/html' || declared === 'application/xhtml+xml') return { mime: declared, kind: 'html', mismatch: false };
  if (declared === 'text/plain') return { mime: declared, kind: looksLikeHtml(body) ? 'html' : 'text', mismatch: false };
  if (declared !== '' && declared !== 'application/octet-stream' && declared !== 'unknown/unknown') {
    return { mime: declared, kind: 'other', mismatch: false };
  }
  if (looksLikeHtml(body)) return { mime: 'text/html', kind: 'html', mismatch: false };
  const first = firstNonSpace(body);
  if (first === 0x7b || first === 0x5b) return { mime: 'application/json', kind: 'other', mismatch: false };
  if (startsWithAscii(body, firstNonSpaceIndex(body), '<?xml')) return { mime: 'application/xml', kind: 'other', mismatch: false };
  return { mime: declared || 'application/octet-stream', kind: 'other', mismatch: false };
}

function magicMime(b: Uint8Array): string | null {
  if (startsWithAscii(b, 0, '%PDF-')) return 'application/pdf';
  if (b[0] === 0x89 && startsWithAscii(b, 1, 'PNG')) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (startsWithAscii(b, 0, 'GIF8')) return 'image/gif';
  if (startsWithAscii(b, 0, 'RIFF') && startsWithAscii(b, 8, 'WEBP')) return 'image/webp';
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'application/zip';
  if (b[0] === 0x1f && b[1] === 0x8b) return 'application/gzip';
  return null;
}

const HTML_HINT = /<(!doctype html|html|head|body|title|div|p|a |meta|script|table|br|h1)/i;

function looksLikeHtml(b: Uint8Array): boolean {
  const start = firstNonSpaceIndex(b);
  const peek = Buffer.from(b.buffer, b.byteOffset + start, Math.min(b.length - start, 1024)).toString('latin1');
  return peek.startsWith('<') && HTML_HINT.test(peek);
}

function firstNonSpaceIndex(b: Uint8Array): number {
  let i = 0;
  // Skip a UTF-8 BOM and whitespace.
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  return Math.min(i, b.length);
}

function firstNonSpace(b: Uint8Array): number | undefined {
  return b[firstNonSpaceIndex(b)];
}

function startsWithAscii(b: Uint8Array, at: number, s: string): boolean {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}
