import { PolicyError } from './policy-error.js';

/**
 * A set of domains matched with their subdomains: `example.com` covers `example.com` and
 * `a.b.example.com`, never `notexample.com`. A lookup walks the host's parent domains, so it
 * costs O(labels), whatever the list size.
 */
export class DomainList {
  readonly #domains = new Set<string>();

  constructor(entries: readonly string[], option: string) {
    for (const raw of entries) {
      const domain = raw.trim().toLowerCase().replace(/^\*?\./, '').replace(/\.$/, '');
      if (domain === '' || /[\s/:@?#*]/.test(domain)) throw new PolicyError('JVX_ERR_POLICY_BAD_DOMAIN', option, raw, 'expected a host name such as example.com');
      this.#domains.add(domain.startsWith('[') ? domain : toAscii(domain, raw, option));
    }
  }

  get size(): number {
    return this.#domains.size;
  }

  has(host: string): boolean {
    let h = host.toLowerCase();
    for (;;) {
      if (this.#domains.has(h)) return true;
      const dot = h.indexOf('.');
      if (dot === -1) return false;
      h = h.slice(dot + 1);
    }
  }
}

/** IDN entries (bücher.de) are compared in the punycode form hosts have after URL parsing. */
function toAscii(domain: string, raw: string, option: string): string {
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    throw new PolicyError('JVX_ERR_POLICY_BAD_DOMAIN', option, raw, 'not a valid host name');
  }
}
