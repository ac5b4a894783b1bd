import { InvalidOptionError } from '../errors/index.js';

/**
 * An identifiable User-Agent: product token `jarvix`, version, and a contact URL site owners can
 * follow (the convention of Googlebot's `+http://…` and Common Crawl's CCBot).
 */
export function buildUserAgent(o: { version: string; contactUrl?: string }): string {
  if (!/^[0-9A-Za-z.+-]+$/.test(o.version)) throw new InvalidOptionError('userAgent.version', 'a version like 0.1.0', o.version);
  const base = `jarvix/${o.version}`;
  if (o.contactUrl === undefined || o.contactUrl === '') return base;
  let contact: URL;
  try {
    contact = new URL(o.contactUrl);
  } catch {
    throw new InvalidOptionError('userAgent.contactUrl', 'an http(s) or mailto URL', o.contactUrl);
  }
  if (!['http:', 'https:', 'mailto:'].includes(contact.protocol) || /[()\s]/.test(contact.href)) {
    throw new InvalidOptionError('userAgent.contactUrl', 'an http(s) or mailto URL without spaces or parentheses', o.contactUrl);
  }
  return `${base} (+${contact.href})`;
}
