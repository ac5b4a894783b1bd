/**
 * SURT ("Sort-friendly URI Reordering Transform") keys as pywb and Common Crawl write them in
 * CDXJ: scheme dropped, host reversed with commas and `www.` stripped, then `)` and the
 * lowercased path and alphabetically sorted query. It is the subset of python `surt`'s default
 * canonicalization that matters for lookups; the writer and the lookup use this same function,
 * so keys always agree within jarvix.
 */
export function surt(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return url.trim().toLowerCase();
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return url.trim().toLowerCase();
  let host = u.hostname.toLowerCase().replace(/\.$/, '');
  const isIp = /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
  if (!isIp) host = host.replace(/^www\d*\./, '');
  const hostKey = isIp ? host : host.split('.').reverse().join(',');
  const port = u.port ? `:${u.port}` : '';
  let path = u.pathname.toLowerCase();
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  let query = '';
  if (u.search.length > 1) {
    const parts = u.search
      .slice(1)
      .toLowerCase()
      .split('&')
      .filter((p) => p !== '')
      .sort();
    if (parts.length > 0) query = `?${parts.join('&')}`;
  }
  return `${hostKey}${port})${path}${query}`;
}
