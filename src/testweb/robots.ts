import type { RobotsVariant } from './options.js';

export interface RobotsRule {
  readonly allow: boolean;
  readonly path: string;
}
export interface RobotsGroup {
  readonly userAgents: readonly string[];
  readonly rules: readonly RobotsRule[];
  readonly crawlDelaySeconds: number | null;
}

/** Ground truth of one host's robots.txt. */
export interface RobotsTruth {
  readonly variant: RobotsVariant;
  /** HTTP status served, or null when the request hangs (timeout). */
  readonly status: number | null;
  readonly groups: readonly RobotsGroup[];
  /** RFC 9309: an unreachable robots.txt (5xx, timeout) means disallow everything. */
  readonly unreachable: boolean;
}

/** A user agent the disallow variant blocks completely, for tests of UA-specific groups. */
export const BLOCKED_AGENT = 'jarvix-blocked';

export function robotsTruth(variant: RobotsVariant, crawlDelaySeconds: number): RobotsTruth {
  switch (variant) {
    case 'allowAll':
      return { variant, status: 200, unreachable: false, groups: [{ userAgents: ['*'], rules: [{ allow: false, path: '' }], crawlDelaySeconds: null }] };
    case 'disallow':
      return {
        variant,
        status: 200,
        unreachable: false,
        groups: [
          { userAgents: [BLOCKED_AGENT], rules: [{ allow: false, path: '/' }], crawlDelaySeconds: null },
          {
            userAgents: ['*'],
            rules: [
              { allow: false, path: '/private/' },
              { allow: false, path: '/p/1' },
              { allow: true, path: '/p/10' },
            ],
            crawlDelaySeconds: null,
          },
        ],
      };
    case 'crawlDelay':
      return {
        variant,
        status: 200,
        unreachable: false,
        groups: [{ userAgents: ['*'], rules: [{ allow: false, path: '/private/' }], crawlDelaySeconds }],
      };
    case 'malformed':
    case 'notFound':
      return { variant, status: variant === 'notFound' ? 404 : 200, unreachable: false, groups: [] };
    case 'serverError':
      return { variant, status: 500, unreachable: true, groups: [] };
    case 'timeout':
      return { variant, status: null, unreachable: true, groups: [] };
  }
}

export function robotsText(truth: RobotsTruth, origin: string): string {
  if (truth.variant === 'malformed') {
    // Things real sites serve as robots.txt: an HTML error page, typos, missing colons. A lenient
    // parser finds no valid rule in it, so everything is allowed.
    return '\uFEFF<html><body><h1>Welcome</h1></body></html>\nUser agent *\nDisalow /p/\nDisallow /private/\nCrawl delay: ten\n';
  }
  if (truth.status !== 200) return truth.variant === 'notFound' ? 'Not Found\n' : 'Internal Server Error\n';
  const lines: string[] = ['# robots.txt for the jarvix synthetic web'];
  for (const group of truth.groups) {
    for (const ua of group.userAgents) lines.push(`User-agent: ${ua}`);
    if (group.crawlDelaySeconds !== null) lines.push(`Crawl-delay: ${group.crawlDelaySeconds}`);
    for (const rule of group.rules) lines.push(`${rule.allow ? 'Allow' : 'Disallow'}: ${rule.path}`);
    lines.push('');
  }
  lines.push(`Sitemap: ${origin}/sitemap.xml`, '');
  return lines.join('\n');
}

/** RFC 9309 matching over our own rules: the most specific UA group, then the longest matching path (allow wins ties). */
export function robotsAllowsPath(truth: RobotsTruth, path: string, userAgent: string): boolean {
  if (truth.unreachable) return false;
  if (path === '/robots.txt') return true;
  const group = selectGroup(truth, userAgent);
  if (!group) return true;
  let best: RobotsRule | undefined;
  for (const rule of group.rules) {
    if (rule.path === '' || !path.startsWith(rule.path)) continue;
    if (!best || rule.path.length > best.path.length || (rule.path.length === best.path.length && rule.allow)) best = rule;
  }
  return best ? best.allow : true;
}

export function crawlDelayFor(truth: RobotsTruth, userAgent: string): number | null {
  return selectGroup(truth, userAgent)?.crawlDelaySeconds ?? null;
}

function selectGroup(truth: RobotsTruth, userAgent: string): RobotsGroup | undefined {
  const token = userAgent.toLowerCase().split('/')[0]!.trim();
  return (
    truth.groups.find((g) => g.userAgents.some((ua) => ua !== '*' && token.startsWith(ua.toLowerCase()))) ??
    truth.groups.find((g) => g.userAgents.includes('*'))
  );
}
