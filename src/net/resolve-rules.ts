import { isIP } from 'node:net';
import { JarvixError } from '../errors/index.js';

/**
 * `--resolve PATTERN:ADDR` rules, like curl's --resolve but with wildcards:
 *   `*.test:127.0.0.1:8080`   every host under .test goes to 127.0.0.1, port 8080
 *   `example.com:127.0.0.1`   that host goes to 127.0.0.1 on the URL's own port
 *   `*:[::1]:9000`            everything goes to ::1 port 9000
 * The first matching rule wins. The URL, Host header and TLS name stay those of the URL:
 * only the address (and optionally the port) of the TCP connection changes.
 */
export interface ResolveRule {
  readonly pattern: string;
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number | undefined;
}

export class ResolveRuleError extends JarvixError {
  readonly rule: string;
  constructor(rule: string, why: string) {
    super('JVX_ERR_RESOLVE_RULE_INVALID', `--resolve ${JSON.stringify(rule)}: ${why} (expected PATTERN:ADDR[:PORT], e.g. '*.test:127.0.0.1:8080')`);
    this.rule = rule;
  }
}

export function parseResolveRule(rule: string): ResolveRule {
  const first = rule.indexOf(':');
  if (first <= 0) throw new ResolveRuleError(rule, 'missing pattern');
  const pattern = rule.slice(0, first).toLowerCase();
  let rest = rule.slice(first + 1);
  let address: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new ResolveRuleError(rule, 'unclosed [ in IPv6 address');
    address = rest.slice(1, close);
    rest = rest.slice(close + 1);
    if (rest.startsWith(':')) portText = rest.slice(1);
    else if (rest !== '') throw new ResolveRuleError(rule, `unexpected ${JSON.stringify(rest)} after address`);
  } else {
    const colon = rest.indexOf(':');
    if (colon >= 0) {
      address = rest.slice(0, colon);
      portText = rest.slice(colon + 1);
    } else {
      address = rest;
    }
  }
  const family = isIP(address);
  if (family === 0) throw new ResolveRuleError(rule, `${JSON.stringify(address)} is not an IP address`);
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new ResolveRuleError(rule, `bad port ${JSON.stringify(portText)}`);
  }
  if (!/^(\*|\*\.[a-z0-9.-]+|[a-z0-9.-]+)$/.test(pattern)) throw new ResolveRuleError(rule, `bad host pattern ${JSON.stringify(pattern)}`);
  return { pattern, address, family: family as 4 | 6, port };
}

export function matchResolveRule(rules: readonly ResolveRule[], hostname: string): ResolveRule | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  for (const rule of rules) {
    if (rule.pattern === '*') return rule;
    if (rule.pattern.startsWith('*.')) {
      const suffix = rule.pattern.slice(1);
      if (host.endsWith(suffix) || host === rule.pattern.slice(2)) return rule;
    } else if (rule.pattern === host) {
      return rule;
    }
  }
  return undefined;
}
