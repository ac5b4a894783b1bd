/**
 * 1-based rank positions of values, highest first, ties by id (Common Crawl numbers its ranks
 * file the same way: `sort -k1,1gr --stable | nl`).
 */
export function positions(values: Float64Array): Int32Array {
  const n = values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[b]! - values[a]! || a - b);
  const pos = new Int32Array(n);
  for (let i = 0; i < n; i++) pos[order[i]!] = i + 1;
  return pos;
}
