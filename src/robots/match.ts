import { normalizeRobotsPath } from './encoding.js';
import { agentToken, type ParsedRobots, type RobotsRule } from './parse.js';

/**
 * RFC 9309 matching: the group(s) for the crawler's product token (case-insensitive, all groups
 * naming it merged), else the '*' groups merged, else no rules. Within them the longest matching
 * pattern decides; on equal length allow wins (§2.2.2). /robots.txt itself is always allowed.
 */
interface Selected {
  /** Longest pattern first, allow before disallow at equal length: the first match decides. */
  rules: Compiled[];
  crawlDelayMs: number | undefined;
}

interface Compiled {
  allow: boolean;
  pattern: string;
  /** No wildcard and no end anchor: a plain prefix test. */
  prefix: boolean;
}

const selections = new WeakMap<ParsedRobots, Map<string, Selected>>();

export function isAllowed(robots: ParsedRobots, userAgentToken: string, pathAndQuery: string): boolean {
  let path = pathAndQuery === '' ? '/' : pathAndQuery;
  if (!path.startsWith('/')) path = `/${path}`;
  if (path === '/robots.txt') return true;
  const selected = select(robots, userAgentToken);
  if (selected.rules.length === 0) return true;
  path = normalizeRobotsPath(path);
  for (const rule of selected.rules) {
    if (rule.prefix ? path.startsWith(rule.pattern) : matches(path, rule.pattern)) return rule.allow;
  }
  return true;
}

export function crawlDelayMs(robots: ParsedRobots, userAgentToken: string): number | undefined {
  return select(robots, userAgentToken).crawlDelayMs;
}

function select(robots: ParsedRobots, userAgentToken: string): Selected {
  const token = agentToken(userAgentToken.trim()) ?? '*';
  let cache = selections.get(robots);
  if (cache === undefined) {
    cache = new Map();
    selections.set(robots, cache);
  }
  let selected = cache.get(token);
  if (selected === undefined) {
    let groups = token === '*' ? [] : robots.groups.filter((g) => g.agents.includes(token));
    if (groups.length === 0) groups = robots.groups.filter((g) => g.agents.includes('*'));
    const rules: RobotsRule[] = groups.flatMap((g) => g.rules);
    const compiled = rules
      .map((r) => ({ allow: r.allow, pattern: r.pattern, prefix: !r.pattern.includes('*') && !r.pattern.endsWith('$') }))
      .sort((a, b) => b.pattern.length - a.pattern.length || Number(b.allow) - Number(a.allow));
    selected = { rules: compiled, crawlDelayMs: groups.find((g) => g.crawlDelayMs !== undefined)?.crawlDelayMs };
    cache.set(token, selected);
  }
  return selected;
}

/**
 * Wildcard match in O(path × pattern) without backtracking: the set of path positions the
 * pattern prefix can end at. A RegExp with several `.*` can take exponential time on a hostile
 * robots.txt; this cannot.
 */
export function matches(path: string, pattern: string): boolean {
  const positions = new Int32Array(path.length + 1);
  let count = 1;
  positions[0] = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charCodeAt(i);
    if (ch === 0x24 /* $ */ && i === pattern.length - 1) return positions[count - 1] === path.length;
    if (ch === 0x2a /* * */) {
      // From the smallest reachable position, every later position is reachable.
      const from = positions[0]!;
      count = path.length - from + 1;
      for (let j = 0; j < count; j++) positions[j] = from + j;
      continue;
    }
    let next = 0;
    for (let j = 0; j < count; j++) {
      const p = positions[j]!;
      if (p < path.length && path.charCodeAt(p) === ch) positions[next++] = p + 1;
    }
    if (next === 0) return false;
    count = next;
  }
  return true;
}
