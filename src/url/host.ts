import { getDomain } from 'tldts';

// A normalized URL with a plain lowercase DNS name: the host can be cut out without a full parse.
// The last label must start with a letter, otherwise WHATWG may read the host as an IPv4 number.
const SIMPLE = /^https?:\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z][a-z0-9-]*|[a-z][a-z0-9-]*)(?::\d+)?(?:[/?#]|$)/;

/**
 * The politeness key of a URL: its lowercase hostname, port ignored (docs/collect.md: limits are per
 * host, and two ports of one host are one server to be polite to). IPv6 keeps its brackets.
 */
export function hostKey(url: string): string {
  const m = SIMPLE.exec(url);
  if (m?.[1] !== undefined) return m[1];
  return new URL(url).hostname.toLowerCase();
}

/**
 * The registered (registrable) domain of a host, public-suffix aware: `a.b.example.co.uk` →
 * `example.co.uk`. Private suffixes count as suffixes (`x.github.io` is its own domain), as in
 * the WHATWG URL standard, so a domain-scoped crawl of one blog does not spread to its neighbours.
 * IP addresses and bare suffixes have none: null.
 */
export function registeredDomain(host: string): string | null {
  return getDomain(host, { allowPrivateDomains: true });
}
