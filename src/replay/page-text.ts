import { Parser } from 'htmlparser2';

const BLOCK = new Set(['p', 'div', 'section', 'article', 'header', 'footer', 'main', 'nav', 'aside', 'li', 'ul', 'ol', 'table', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'br', 'hr', 'pre', 'blockquote', 'title', 'dd', 'dt', 'dl', 'form', 'figure', 'figcaption', 'option']);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg']);

/** The visible text of an HTML page as blocks (one line per block element), whitespace collapsed. */
export function htmlBlocks(html: string): string[] {
  const blocks: string[] = [];
  let cur = '';
  let skip = 0;
  const flush = (): void => {
    const t = cur.replace(/\s+/g, ' ').trim();
    if (t) blocks.push(t);
    cur = '';
  };
  const p = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skip++;
        else if (BLOCK.has(name)) flush();
      },
      onclosetag(name) {
        if (SKIP.has(name)) skip = Math.max(0, skip - 1);
        else if (BLOCK.has(name)) flush();
      },
      ontext(t) {
        if (skip === 0) cur += t;
      },
    },
    { decodeEntities: true },
  );
  p.write(html);
  p.end();
  flush();
  return blocks;
}

/** The absolute link targets of a page (`a`/`area` href, then `link` href), in document order. */
export function htmlLinks(html: string, baseUrl: string): string[] {
  const out: string[] = [];
  let base = baseUrl;
  const p = new Parser({
    onopentag(name, attrs) {
      if (name === 'base' && attrs.href) {
        try {
          base = new URL(attrs.href, baseUrl).href;
        } catch {
          /* a bad <base> is ignored, as browsers do */
        }
      }
      if ((name === 'a' || name === 'area' || name === 'link') && attrs.href) {
        try {
          out.push(new URL(attrs.href, base).href);
        } catch {
          out.push(attrs.href);
        }
      }
    },
  });
  p.write(html);
  p.end();
  return out;
}

/** Whether a mime type is text the timeline and diff read as HTML. */
export const isHtmlMime = (mime: string): boolean => mime === 'text/html' || mime === 'application/xhtml+xml';
export const isTextMime = (mime: string): boolean => isHtmlMime(mime) || mime.startsWith('text/');
