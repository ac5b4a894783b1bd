/**
 * Heavy hitters in bounded memory (the Space-Saving algorithm, Metwally et al. 2005): at most
 * `capacity` hosts are counted; a new host takes the slot of the smallest count and inherits it,
 * so any host with more than total/capacity fetches is always present and counts are
 * overestimated by at most that much. Per-host metric labels come only from `top(n)`, so a crawl
 * over a million hosts still exports a handful of series.
 */
export class TopHosts {
  readonly #capacity: number;
  readonly #counts = new Map<string, number>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Counts `weight` fetches of `host` (Space-Saving holds for weighted streams too). */
  add(host: string, weight = 1): void {
    const c = this.#counts.get(host);
    if (c !== undefined) {
      this.#counts.set(host, c + weight);
      return;
    }
    if (this.#counts.size < this.#capacity) {
      this.#counts.set(host, weight);
      return;
    }
    // O(capacity) only when an uncounted host arrives with the table full; capacity is small.
    let minHost = '';
    let min = Infinity;
    for (const [h, n] of this.#counts) {
      if (n < min) {
        min = n;
        minHost = h;
      }
    }
    this.#counts.delete(minHost);
    this.#counts.set(host, min + weight);
  }

  /** The `n` largest counts, largest first. */
  top(n: number): [host: string, count: number][] {
    return [...this.#counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
  }
}

/** Host of an absolute URL without parsing it whole (this runs once per fetch). */
export function hostOf(url: string): string {
  const start = url.indexOf('//');
  if (start < 0) return '';
  let end = url.length;
  for (let i = start + 2; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) {
      end = i;
      break;
    }
  }
  const authority = url.slice(start + 2, end);
  const at = authority.lastIndexOf('@');
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  if (hostPort.startsWith('[')) return hostPort.slice(0, hostPort.indexOf(']') + 1).toLowerCase();
  const colon = hostPort.indexOf(':');
  return (colon >= 0 ? hostPort.slice(0, colon) : hostPort).toLowerCase();
}
