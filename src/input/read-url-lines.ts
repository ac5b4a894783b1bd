import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { errorCode, errorMessage } from '../errors/index.js';
import { hasCredentials, normalizeUrl, redactCredentials, UrlError } from '../url/index.js';
import { InputError } from './input-error.js';
import { splitLines } from './line-splitter.js';

export interface InputLine {
  lineNo: number;
  /** Normalized (src/url normalizeUrl): without the credentials the line may have held. */
  url: string;
  /** The line held `user:pass@`, removed (never sent, never written). */
  credentialsRemoved?: true;
}

export interface InputProblem {
  lineNo: number;
  /** The offending line, trimmed and cut to 2,048 characters. */
  text: string;
  code: string;
  message: string;
}

export function isInputProblem(item: InputLine | InputProblem): item is InputProblem {
  return 'code' in item;
}

/** Far beyond any real URL (browsers stop near 2 MB for data: URLs; servers near 8-64 KB). */
const MAX_LINE_BYTES = 64 * 1024;
const MAX_TEXT_CHARS = 2048;

/**
 * Streams a URL list (a file path, or '-' for stdin): one URL per line, blank lines and '#'
 * comments skipped, a UTF-8 BOM, CR and surrounding whitespace stripped. Every line that is not a
 * crawlable URL comes out as an InputProblem with its line number, never as a thrown error:
 * docs/design.md ("Command line") says a bad line is reported and skipped. Memory is bounded by one line (64 KiB).
 * A missing file throws InputError JVX_ERR_INPUT_NOT_FOUND naming the path, on first iteration.
 */
export async function* readUrlLines(
  source: string,
  o: { stdin?: NodeJS.ReadableStream } = {},
): AsyncGenerator<InputLine | InputProblem> {
  const stream = source === '-' ? (o.stdin ?? process.stdin) : await openFile(source);
  try {
    for await (const raw of splitLines(stream as AsyncIterable<Buffer | string>, MAX_LINE_BYTES)) {
      // trim() also removes a UTF-8 BOM: U+FEFF is whitespace to ECMAScript.
      const text = raw.text.trim();
      if (raw.tooLongBytes !== undefined) {
        yield problem(raw.lineNo, text, 'JVX_ERR_INPUT_LINE_TOO_LONG', `line is ${raw.tooLongBytes} bytes, more than ${MAX_LINE_BYTES}`);
        continue;
      }
      if (text === '' || text.startsWith('#')) continue;
      try {
        const url = normalizeUrl(text);
        yield hasCredentials(text) ? { lineNo: raw.lineNo, url, credentialsRemoved: true } : { lineNo: raw.lineNo, url };
      } catch (err) {
        if (!(err instanceof UrlError)) throw err;
        yield problem(raw.lineNo, text, err.code, err.message);
      }
    }
  } catch (err) {
    // A read error mid-file (EIO, EACCES on open) names the input, like a missing file does.
    if (source === '-' || err instanceof InputError || typeof (err as { syscall?: unknown }).syscall !== 'string') throw err;
    throw new InputError('JVX_ERR_INPUT_UNREADABLE', `cannot read input ${source}: ${errorMessage(err)}`, source, err);
  } finally {
    // An early `break` by the caller must not leave the file open.
    if (source !== '-') (stream as ReturnType<typeof createReadStream>).destroy();
  }
}

/**
 * Throws the InputError readUrlLines would throw on a missing or unusable file, before anything is
 * created for it (a run folder for a typo in --input would be litter). '-' (stdin) always passes.
 */
export async function checkInputSource(source: string): Promise<void> {
  if (source !== '-') (await openFile(source)).destroy();
}

async function openFile(path: string): Promise<ReturnType<typeof createReadStream>> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError('JVX_ERR_INPUT_UNREADABLE', `input ${path} is a directory, not a URL list`, path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError('JVX_ERR_INPUT_NOT_FOUND', `input file not found: ${path}`, path, err);
    throw new InputError('JVX_ERR_INPUT_UNREADABLE', `cannot read input ${path}: ${errorMessage(err)}`, path, err);
  }
  return createReadStream(path, { highWaterMark: 64 * 1024 });
}

function problem(lineNo: number, text: string, code: string, message: string): InputProblem {
  // The text goes to stderr and to the errors table: never with the credentials it may hold.
  const safe = redactCredentials(text);
  return { lineNo, text: safe.length > MAX_TEXT_CHARS ? safe.slice(0, MAX_TEXT_CHARS) : safe, code, message };
}
