import iconv from 'iconv-lite';

export type CharsetSource = 'bom' | 'header' | 'meta' | 'sniff' | 'default';

export interface CharsetDecision {
  charset: string;
  source: CharsetSource;
  /** Byte length of a BOM to skip. */
  bomLength: number;
  anomalies: string[];
}

/** A streaming decoder: feed byte chunks, get string chunks; invalid bytes become U+FFFD. */
export interface ChunkDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

const META_PRESCAN_BYTES = 4096;
const SNIFF_BYTES = 64 * 1024;

/**
 * The HTML charset decision in the spec's order: a BOM wins, then the HTTP header, then a
 * `<meta charset>` / `http-equiv` in the first 4 KiB, then a UTF-8 validity sniff
 * (windows-1252 when the bytes are not UTF-8, as browsers do for legacy pages).
 */
export function detectCharset(body: Uint8Array, contentType: string | null | undefined): CharsetDecision {
  const anomalies: string[] = [];
  const bom = bomCharset(body);
  if (bom) return { charset: bom.charset, source: 'bom', bomLength: bom.length, anomalies };

  const fromHeader = charsetFromContentType(contentType);
  if (fromHeader !== null) {
    const label = normalizeLabel(fromHeader);
    if (label) return checkDeclaredUtf8(body, { charset: label, source: 'header', bomLength: 0, anomalies });
    anomalies.push('charset-header-unknown');
  }

  const fromMeta = metaCharset(body);
  if (fromMeta !== null) {
    // A page that declares UTF-16 in a meta tag but had no BOM is ASCII-compatible bytes: the spec says utf-8.
    const label = normalizeLabel(fromMeta);
    if (label) return checkDeclaredUtf8(body, { charset: label.startsWith('utf-16') ? 'utf-8' : label, source: 'meta', bomLength: 0, anomalies });
    anomalies.push('charset-meta-unknown');
  }

  // Undeclared: UTF-8 when the bytes are UTF-8, or mostly so (legacy text almost never forms
  // valid multi-byte sequences by chance; a few stray bad bytes in UTF-8 text do happen).
  const stats = utf8Stats(body.subarray(0, SNIFF_BYTES));
  const sniffed = stats.invalid === 0 || stats.multibyte > stats.invalid ? 'utf-8' : 'windows-1252';
  return { charset: sniffed, source: 'sniff', bomLength: 0, anomalies };
}

/**
 * Leniency: a page declared UTF-8 whose bytes hold no valid multi-byte sequence but do hold
 * invalid ones was written in a legacy charset (a Latin-1 CMS behind a UTF-8 header). Decoding
 * it as windows-1252 keeps "café" instead of "caf\ufffd". A page with real UTF-8 text and a few
 * stray bad bytes stays UTF-8.
 */
function checkDeclaredUtf8(body: Uint8Array, d: CharsetDecision): CharsetDecision {
  if (d.charset !== 'utf-8') return d;
  const stats = utf8Stats(body.subarray(0, SNIFF_BYTES));
  if (stats.invalid > 0 && stats.multibyte === 0) {
    d.anomalies.push('charset-declared-utf8-invalid');
    return { ...d, charset: 'windows-1252', source: 'sniff' };
  }
  return d;
}

/** Valid multi-byte sequences and invalid bytes in a UTF-8 prefix (a cut final sequence is neither). */
export function utf8Stats(b: Uint8Array): { multibyte: number; invalid: number } {
  let multibyte = 0;
  let invalid = 0;
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) need = 2;
    else if (c >= 0xf0 && c <= 0xf4) need = 3;
    else {
      invalid++;
      i++;
      continue;
    }
    if (i + need >= n) break;
    let ok = true;
    for (let k = 1; k <= need; k++) if ((b[i + k]! & 0xc0) !== 0x80) ok = false;
    if (ok) {
      multibyte++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { multibyte, invalid };
}

function bomCharset(b: Uint8Array): { charset: string; length: number } | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  return null;
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return m?.[1] ?? null;
}

const META_RE = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)/i;
const HTTP_EQUIV_RE = /<meta\b[^>]*?http-equiv\s*=\s*["']?content-type["']?[^>]*>/i;

function metaCharset(body: Uint8Array): string | null {
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, META_PRESCAN_BYTES)).toString('latin1');
  const direct = META_RE.exec(head);
  // `<meta http-equiv="Content-Type" content="text/html; charset=...">` also matches META_RE
  // through its content attribute; the http-equiv pass catches attribute orders it misses.
  if (direct?.[1]) return direct[1];
  const equiv = HTTP_EQUIV_RE.exec(head);
  if (equiv) return charsetFromContentType(/content\s*=\s*["']([^"']*)["']/i.exec(equiv[0])?.[1] ?? null);
  return null;
}

const labelCache = new Map<string, string | null>();

/** The WHATWG name for a label, or null when neither TextDecoder nor iconv-lite knows it. */
export function normalizeLabel(label: string): string | null {
  const key = label.trim().toLowerCase();
  const cached = labelCache.get(key);
  if (cached !== undefined) return cached;
  let out: string | null = null;
  try {
    out = new TextDecoder(key).encoding;
  } catch {
    out = iconv.encodingExists(key) ? key : null;
  }
  if (labelCache.size < 1000) labelCache.set(key, out);
  return out;
}

/** A streaming decoder for the charset; falls back to utf-8 if nothing can decode it. */
export function createDecoder(charset: string): ChunkDecoder {
  try {
    const td = new TextDecoder(charset, { fatal: false });
    return {
      write: (bytes) => td.decode(bytes, { stream: true }),
      end: () => td.decode(),
    };
  } catch {
    if (iconv.encodingExists(charset)) {
      const dec = iconv.getDecoder(charset);
      return { write: (bytes) => dec.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)), end: () => dec.end() ?? '' };
    }
    const td = new TextDecoder('utf-8');
    return { write: (bytes) => td.decode(bytes, { stream: true }), end: () => td.decode() };
  }
}
