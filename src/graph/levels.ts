import { isIP } from 'node:net';
import { hostKey, registeredDomain } from '../url/index.js';

export type GraphLevel = 'page' | 'host' | 'domain';
export const GRAPH_LEVELS: readonly GraphLevel[] = ['page', 'host', 'domain'];

/**
 * A host name as Common Crawl's webgraph writes it: labels reversed, `www.example.com` →
 * `com.example.www`, so the hosts of one domain sort together. IP addresses stay as they are.
 */
export function reverseHost(host: string): string {
  if (host.startsWith('[') || isIP(host) !== 0) return host;
  return host.split('.').reverse().join('.');
}

/** The page vertex of a URL: the URL without its fragment; null for anything but http(s). */
export function pageKey(url: string): string | null {
  if (!url.startsWith('http://') && !url.startsWith('https://')) return null;
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/** The reversed host name of a URL; null when it has none. */
export function hostVertex(url: string): string | null {
  if (!url.startsWith('http://') && !url.startsWith('https://')) return null;
  try {
    const host = hostKey(url);
    return host === '' ? null : reverseHost(host);
  } catch {
    return null;
  }
}

/** The host of a URL and its registered domain (public suffix list, as the pages table), reversed. */
export function domainOf(url: string): { host: string; domain: string } | null {
  if (!url.startsWith('http://') && !url.startsWith('https://')) return null;
  try {
    const host = hostKey(url);
    if (host === '') return null;
    // A host without a registered domain (an IP, a bare suffix) is its own domain.
    const domain = host.startsWith('[') || isIP(host) !== 0 ? host : (registeredDomain(host) ?? host);
    return { host, domain: reverseHost(domain) };
  } catch {
    return null;
  }
}

/** The vertex name of a URL at a level. */
export function vertexKey(level: GraphLevel, url: string): string | null {
  if (level === 'page') return pageKey(url);
  if (level === 'host') return hostVertex(url);
  return domainOf(url)?.domain ?? null;
}
