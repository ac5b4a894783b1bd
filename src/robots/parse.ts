import { normalizeRobotsPath } from './encoding.js';

/**
 * A lenient RFC 9309 robots.txt reader. Nothing in the file is fatal: each line it cannot use is
 * counted (invalidLines, unknownDirectives) so a report can say how broken a file was.
 */
export interface RobotsRule {
  readonly allow: boolean;
  /** Normalized (encoding.ts); may hold `*` wildcards and a final `$` anchor. */
  readonly pattern: string;
}

export interface RobotsGroup {
  /** Lowercase product tokens, or '*'. */
  readonly agents: readonly string[];
  readonly rules: readonly RobotsRule[];
  readonly crawlDelayMs?: number;
}

export interface ParsedRobots {
  readonly groups: readonly RobotsGroup[];
  readonly sitemaps: readonly string[];
  /** Lines that are neither blank, comments nor `key: value` records, bad values, and rules outside any group. */
  readonly invalidLines: number;
  /** Well-formed records with a key we do not use (Host, Clean-param, Noindex...). */
  readonly unknownDirectives: number;
  /** The file was longer than MAX_ROBOTS_BYTES and only its head was parsed. */
  readonly truncated: boolean;
}

/** RFC 9309 §2.5: crawlers must parse at least 500 KiB; we parse exactly that much. */
export const MAX_ROBOTS_BYTES = 500 * 1024;
/** Google's reader keeps 8 × 2083 − 1 characters of a line (2083: old browsers' URL limit) and drops the rest. */
const MAX_LINE_CHARS = 8 * 2083 - 1;
const MAX_SITEMAPS = 1000;

// Common misspellings accepted by major crawlers: the site owner's intent is plain.
const KEYS: Record<string, 'user-agent' | 'allow' | 'disallow' | 'crawl-delay' | 'sitemap'> = {
  'user-agent': 'user-agent', useragent: 'user-agent', 'user agent': 'user-agent',
  allow: 'allow',
  disallow: 'disallow', dissallow: 'disallow', dissalow: 'disallow', disalow: 'disallow', diasllow: 'disallow', disallaw: 'disallow',
  'crawl-delay': 'crawl-delay', crawldelay: 'crawl-delay',
  sitemap: 'sitemap', 'site-map': 'sitemap',
};

interface MutableGroup {
  agents: string[];
  rules: RobotsRule[];
  crawlDelayMs?: number;
}

export function parseRobots(text: string): ParsedRobots {
  const { head, truncated } = capText(text);
  const groups: MutableGroup[] = [];
  const sitemaps: string[] = [];
  let invalidLines = 0;
  let unknownDirectives = 0;
  let current: MutableGroup | undefined;
  // A user-agent line after a member line starts a new group; consecutive ones share a group.
  let inAgentRun = false;

  const lines = head.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (i === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.length > MAX_LINE_CHARS) line = line.slice(0, MAX_LINE_CHARS);
    const hash = line.indexOf('#');
    if (hash !== -1) line = line.slice(0, hash);
    line = line.trim();
    if (line === '') continue;

    const record = splitRecord(line);
    if (record === undefined) {
      invalidLines++;
      continue;
    }
    const key = KEYS[record.key];
    if (key === undefined) {
      unknownDirectives++;
      continue;
    }
    switch (key) {
      case 'user-agent': {
        if (!inAgentRun || current === undefined) {
          current = { agents: [], rules: [] };
          groups.push(current);
          inAgentRun = true;
        }
        const token = agentToken(record.value);
        // An unusable agent still opens its group, so the rules below it bind to nobody.
        if (token === undefined) invalidLines++;
        else current.agents.push(token);
        break;
      }
      case 'allow':
      case 'disallow': {
        inAgentRun = false;
        if (current === undefined) {
          invalidLines++;
          break;
        }
        // An empty value is a valid rule that matches nothing ("Disallow:" = allow all).
        if (record.value !== '') current.rules.push({ allow: key === 'allow', pattern: normalizeRobotsPath(record.value) });
        break;
      }
      case 'crawl-delay': {
        inAgentRun = false;
        const seconds = /^\d+(\.\d+)?$|^\.\d+$/.test(record.value) ? Number(record.value) : NaN;
        if (current === undefined || !Number.isFinite(seconds)) {
          invalidLines++;
          break;
        }
        current.crawlDelayMs ??= Math.round(seconds * 1000);
        break;
      }
      case 'sitemap':
        // Not a group member: it may appear anywhere and does not end a run of user-agent lines.
        if (record.value !== '' && sitemaps.length < MAX_SITEMAPS) sitemaps.push(record.value);
        break;
    }
  }
  return { groups, sitemaps, invalidLines, unknownDirectives, truncated };
}

function splitRecord(line: string): { key: string; value: string } | undefined {
  const colon = line.indexOf(':');
  if (colon > 0) return { key: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() };
  // Lenient: "Disallow /private" — a known key and a value with the colon forgotten.
  const m = /^([A-Za-z-]+)\s+(\S.*)$/.exec(line);
  if (m && KEYS[m[1]!.toLowerCase()] !== undefined) return { key: m[1]!.toLowerCase(), value: m[2]!.trim() };
  return undefined;
}

/** RFC 9309 §2.2.1: the product token is [a-zA-Z_-]+; "Foo Bar" or "Foo/1.0" obeys as "foo". */
export function agentToken(value: string): string | undefined {
  if (value.startsWith('*')) return '*';
  const m = /^[A-Za-z_-]+/.exec(value);
  return m ? m[0].toLowerCase() : undefined;
}

function capText(text: string): { head: string; truncated: boolean } {
  // Cheap test first: a string of n UTF-16 units is at most 3n UTF-8 bytes.
  if (text.length * 3 <= MAX_ROBOTS_BYTES || Buffer.byteLength(text, 'utf8') <= MAX_ROBOTS_BYTES) return { head: text, truncated: false };
  const bytes = Buffer.from(text.slice(0, MAX_ROBOTS_BYTES), 'utf8').subarray(0, MAX_ROBOTS_BYTES);
  let head = bytes.toString('utf8');
  // Drop the cut-off last line: half a rule may mean something the site owner never wrote.
  const lastBreak = Math.max(head.lastIndexOf('\n'), head.lastIndexOf('\r'));
  head = lastBreak === -1 ? '' : head.slice(0, lastBreak);
  return { head, truncated: true };
}
