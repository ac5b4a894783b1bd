/**
 * A 53-bit string hash (the cyrb53 construction: two 32-bit multiply-xorshift lanes) for the
 * dedup index. Not for security: collisions are harmless because a lookup also compares the
 * URL itself; the hash only keeps the index small (8 bytes a URL instead of the whole URL), so
 * it stays in the bounded page cache with millions of URLs.
 */
export function urlHash(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
