import { PolicyError } from './policy-error.js';

/**
 * A user's allow/deny pattern: `/regex/flags`, tested anywhere in the URL, or a glob where `*`
 * is any run of characters and the glob must match the whole URL (`https://shop.test/p/*`).
 * Globs run in linear time per character: no backtracking blow-up on long URLs.
 */
export interface UrlPattern {
  readonly source: string;
  test(url: string): boolean;
}

export function compilePattern(source: string, option: string): UrlPattern {
  if (typeof source !== 'string' || source === '') throw new PolicyError('JVX_ERR_POLICY_BAD_PATTERN', option, String(source), 'empty pattern');
  const re = /^\/(.+)\/([a-z]*)$/s.exec(source);
  if (re) {
    const [, body, flags] = re as unknown as [string, string, string];
    if (/[gy]/.test(flags)) throw new PolicyError('JVX_ERR_POLICY_BAD_PATTERN', option, source, 'flags g and y make test() stateful');
    let regex: RegExp;
    try {
      regex = new RegExp(body, flags);
    } catch (err) {
      throw new PolicyError('JVX_ERR_POLICY_BAD_PATTERN', option, source, (err as Error).message);
    }
    return { source, test: (url) => regex.test(url) };
  }
  const parts = source.split('*');
  return { source, test: (url) => globMatch(url, parts) };
}

/** `parts` is the glob split on '*': the first part anchors the start, the last the end. */
function globMatch(text: string, parts: readonly string[]): boolean {
  const first = parts[0]!;
  if (parts.length === 1) return text === first;
  if (!text.startsWith(first)) return false;
  const last = parts[parts.length - 1]!;
  if (text.length - first.length < last.length || !text.endsWith(last)) return false;
  // Greedy leftmost placement of the middle parts is optimal for `*`-only globs.
  let pos = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (part === '') continue;
    const at = text.indexOf(part, pos);
    if (at === -1 || at + part.length > end) return false;
    pos = at + part.length;
  }
  return true;
}
