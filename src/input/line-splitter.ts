/**
 * Splits a byte stream into lines without ever holding more than `maxLineBytes` of one line:
 * readline would buffer a 2 GB line with no newline whole. An over-long line is reported by
 * length with its first bytes only, and the rest of it is skipped.
 */
export interface RawLine {
  lineNo: number;
  text: string;
  /** Total length of the line in bytes, when it was cut at maxLineBytes. */
  tooLongBytes?: number;
}

export async function* splitLines(source: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<RawLine> {
  let lineNo = 0;
  let parts: Buffer[] = [];
  let kept = 0;
  let total = 0;
  const finish = (): RawLine => {
    lineNo++;
    const text = Buffer.concat(parts, kept).toString('utf8');
    const line: RawLine = total > maxLineBytes ? { lineNo, text, tooLongBytes: total } : { lineNo, text };
    parts = [];
    kept = 0;
    total = 0;
    return line;
  };
  const keep = (chunk: Buffer): void => {
    total += chunk.length;
    const room = maxLineBytes - kept;
    if (room <= 0) return;
    // Copy: the chunk's backing buffer must not stay pinned by a short slice.
    const piece = Buffer.from(chunk.length > room ? chunk.subarray(0, room) : chunk);
    parts.push(piece);
    kept += piece.length;
  };
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl === -1) break;
      keep(buf.subarray(start, nl));
      yield finish();
      start = nl + 1;
    }
    if (start < buf.length) keep(buf.subarray(start));
  }
  if (total > 0) yield finish();
}
