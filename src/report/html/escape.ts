/**
 * Everything that came from a page or a run (titles, URLs, host names, messages, config values) goes
 * through here before it reaches the HTML. Escaping all five characters makes a value safe in text
 * and in quoted attributes alike; control characters are replaced because some (U+0000, U+000C)
 * change how a parser treats the text around them.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// eslint-disable-next-line no-control-regex -- the control characters are what this removes
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value)
    .replace(CONTROL, '\uFFFD')
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Cuts a long page string to `maxChars` (a title can be megabytes); never splits a surrogate pair. */
export function truncate(value: string, maxChars: number): string {
  if (value.length <= maxChars) return value;
  let cut = maxChars - 1;
  const code = value.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${value.slice(0, cut)}…`;
}

/**
 * An href only for http(s) URLs; anything else (javascript:, data:, unparsable) is shown as text
 * and never linked. Opening the report makes no request: a link is only followed when clicked.
 */
export function linkTo(url: string | null, text: string = url ?? ''): string {
  if (url === null) return '';
  let ok = false;
  try {
    const u = new URL(url);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  const shown = escapeHtml(truncate(text, 300));
  return ok ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer nofollow">${shown}</a>` : shown;
}
