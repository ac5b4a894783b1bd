import { createHash, type Hash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding: the form of `sha1:` digests in WARC headers and CDX files. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** `sha1:BASE32` from a raw sha1 digest. */
export function sha1Label(raw: Uint8Array): string {
  return `sha1:${base32(raw)}`;
}

export function sha1OfBuffers(parts: readonly Uint8Array[]): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return sha1Label(h.digest());
}

/**
 * A digest header value we can check (`sha1:BASE32`, `sha1:hex`, `sha256:…`, `md5:…`), with a fresh
 * hash to compute it; undefined when the algorithm or encoding is not one we know.
 */
export function digestChecker(label: string): { hash: Hash; matches: (h: Hash) => boolean } | undefined {
  const m = /^\s*([A-Za-z0-9-]+)\s*:\s*([A-Za-z0-9=+/]+)\s*$/.exec(label);
  if (!m) return undefined;
  const algo = m[1]!.toLowerCase().replace('-', '');
  const value = m[2]!;
  const sizes: Record<string, number> = { sha1: 20, sha256: 32, sha512: 64, md5: 16 };
  const size = sizes[algo];
  if (size === undefined) return undefined;
  return {
    hash: createHash(algo),
    matches: (h) => {
      const raw = h.digest();
      const b32 = base32(raw);
      const v = value.replace(/=+$/, '');
      return v.toUpperCase() === b32 || v.toLowerCase() === raw.toString('hex') || value === raw.toString('base64');
    },
  };
}
