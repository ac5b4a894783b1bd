/**
 * Accumulates visible text with collapsed whitespace and paragraph breaks ("\n\n") between
 * blocks, up to a character cap. Parts are joined once at the end so appends stay cheap.
 */
export class TextSink {
  readonly #parts: string[] = [];
  readonly #maxChars: number;
  #length = 0;
  #pendingBreak = false;
  #pendingSpace = false;
  truncated = false;
  /** Index of the part the cap cut, so a rollback past it lifts the truncation. */
  #truncatedAt = -1;

  constructor(maxChars: number) {
    this.#maxChars = maxChars;
  }

  get length(): number {
    return this.#length;
  }

  append(raw: string): void {
    if (this.truncated) return;
    appendTo(this, raw);
  }

  /** Appends text already collapsed by `collapseSpaces`, with the raw text's edge spaces. */
  appendCollapsed(text: string, startsWithSpace: boolean, endsWithSpace: boolean, rawLength: number): void {
    if (this.truncated) return;
    if (text.length === 0) {
      if (rawLength > 0) this.#pendingSpace = true;
      return;
    }
    let sep = '';
    if (this.#length > 0) {
      if (this.#pendingBreak) sep = '\n\n';
      else if (this.#pendingSpace || startsWithSpace) sep = ' ';
    }
    this.#pendingBreak = false;
    this.#pendingSpace = endsWithSpace;
    if (this.#length + sep.length + text.length > this.#maxChars) {
      const piece = (sep + text).slice(0, Math.max(0, this.#maxChars - this.#length));
      this.truncated = true;
      this.#truncatedAt = this.#parts.length;
      this.#parts.push(piece);
      this.#length += piece.length;
      return;
    }
    if (sep !== '') this.#parts.push(sep);
    this.#parts.push(text);
    this.#length += sep.length + text.length;
  }

  /** A point to roll back to; with `rollback`, a container's text is taken back out. */
  mark(): number {
    return this.#parts.length;
  }

  /** Drops everything appended since `mark` (the next text starts a new paragraph). */
  rollback(mark: number): void {
    if (mark >= this.#parts.length) return;
    let removed = 0;
    for (let i = mark; i < this.#parts.length; i++) removed += this.#parts[i]!.length;
    this.#parts.length = mark;
    this.#length -= removed;
    // A separator left dangling at the end goes too.
    while (this.#parts.length > 0 && (this.#parts[this.#parts.length - 1] === '\n\n' || this.#parts[this.#parts.length - 1] === ' ')) {
      this.#length -= this.#parts.pop()!.length;
    }
    if (this.truncated && this.#truncatedAt >= mark) this.truncated = false;
    this.#pendingBreak = this.#length > 0;
    this.#pendingSpace = false;
  }

  /** A block boundary: the next text starts a new paragraph. */
  paragraph(): void {
    if (this.#length > 0) this.#pendingBreak = true;
  }

  /** An inline boundary (`<br>`, table cells): the next text is separated by a space. */
  space(): void {
    this.#pendingSpace = true;
  }

  toString(): string {
    return this.#parts.join('');
  }
}

/** Collapses once and appends to every sink (the walker feeds one text node to up to four); returns the collapsed length. */
export function appendTo(first: TextSink, raw: string, second?: TextSink, third?: TextSink, fourth?: TextSink): number {
  const text = collapseSpaces(raw);
  const n = raw.length;
  const starts = n > 0 && isSpace(raw.charCodeAt(0));
  const ends = n > 0 && isSpace(raw.charCodeAt(n - 1));
  first.appendCollapsed(text, starts, ends, n);
  second?.appendCollapsed(text, starts, ends, n);
  third?.appendCollapsed(text, starts, ends, n);
  fourth?.appendCollapsed(text, starts, ends, n);
  return text.length;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x0c || c === 0xa0;
}

/**
 * Runs of whitespace to one space, trimmed. A hand loop: most text nodes need no change and
 * are returned as they are, where `replace(/\s+/g)` + `trim()` always copied (a fifth of the
 * extraction time).
 */
export function collapseSpaces(raw: string): string {
  const n = raw.length;
  let start = 0;
  let end = n;
  while (start < end && isSpace(raw.charCodeAt(start))) start++;
  while (end > start && isSpace(raw.charCodeAt(end - 1))) end--;
  let clean = true;
  for (let i = start; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x20) {
      if (isSpace(raw.charCodeAt(i + 1))) {
        clean = false;
        break;
      }
    } else if (c <= 0x20 || c === 0xa0) {
      if (isSpace(c)) {
        clean = false;
        break;
      }
    }
  }
  if (clean) return start === 0 && end === n ? raw : raw.slice(start, end);
  let out = '';
  let from = start;
  let i = start;
  while (i < end) {
    if (!isSpace(raw.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < end && isSpace(raw.charCodeAt(j))) j++;
    if (j - i > 1 || raw.charCodeAt(i) !== 0x20) {
      out += raw.slice(from, i) + ' ';
      from = j;
    }
    i = j;
  }
  return out + raw.slice(from, end);
}
