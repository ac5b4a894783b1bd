/** The HTTP status line and headers at the start of a response or request block. */
export interface HttpHead {
  readonly firstLine: string;
  /** Status code of a response head; undefined for a request or an unparseable line. */
  readonly status: number | undefined;
  readonly headers: readonly (readonly [string, string])[];
  /** Bytes up to and including the blank line. */
  readonly length: number;
}

/** Case-insensitive first value. */
export function httpHeader(head: HttpHead, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of head.headers) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Finds the end of the head (CRLFCRLF, or LFLF from sloppy servers); -1 if not in `buf`. */
export function headEnd(buf: Buffer): number {
  const crlf = buf.indexOf('\r\n\r\n');
  // An LF LF only matters before the CRLF CRLF: do not scan the whole body for one.
  const lf = (crlf >= 0 ? buf.subarray(0, crlf + 3) : buf).indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf + 2 <= lf)) return crlf + 4;
  return lf >= 0 ? lf + 2 : -1;
}

/** Parses the head at the start of `buf`; undefined when `buf` holds no whole head. */
export function parseHttpHead(buf: Buffer): HttpHead | undefined {
  const end = headEnd(buf);
  if (end < 0) return undefined;
  const lines = buf.toString('latin1', 0, end).split(/\r?\n/);
  const firstLine = lines[0] ?? '';
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/i.exec(firstLine);
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const last = headers.at(-1);
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { firstLine, status: m ? Number(m[1]) : undefined, headers, length: end };
}

/** Reads the HTTP head from the first chunks of a block (at most `maxBytes`); returns it with the bytes read so far. */
export async function readHttpHead(chunks: AsyncIterator<Buffer>, maxBytes = 64 * 1024): Promise<{ head: HttpHead | undefined; read: Buffer }> {
  let read: Buffer = Buffer.alloc(0);
  while (read.length < maxBytes) {
    const r = await chunks.next();
    if (r.done) break;
    read = read.length === 0 ? r.value : Buffer.concat([read, r.value]);
    if (headEnd(read) >= 0) break;
  }
  return { head: parseHttpHead(read), read };
}
