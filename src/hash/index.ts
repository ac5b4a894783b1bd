/**
 * 32-bit FNV-1a over a string, finished with MurmurHash3's avalanche: FNV alone leaves its high
 * bits poorly mixed when strings differ only near the end (site-0001/, site-0002/), so decisions
 * taken on those bits would be correlated. Not for security: a fast, well-spread key hash.
 */
export function hash32(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
