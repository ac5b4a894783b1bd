import type { Writable } from 'node:stream';
import { QueryOutputClosedError } from '../errors.js';

/**
 * Writes with back-pressure: a slow pipe slows the query down instead of buffering the result. A
 * destination that closes meanwhile (EPIPE when the reader exits) ends the wait with
 * QueryOutputClosedError instead of waiting for a 'drain' that never comes; other errors are thrown.
 */
export async function put(out: Writable, text: string | Uint8Array): Promise<void> {
  if (text.length === 0) return;
  if (out.destroyed || out.writableEnded) throw new QueryOutputClosedError();
  if (out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: unknown): void => {
      cleanup();
      // EPIPE: the reader went away, an ordinary end for a pipe. Anything else (ENOSPC...) is a failure.
      reject((err as NodeJS.ErrnoException).code === 'EPIPE' ? new QueryOutputClosedError(err) : err);
    };
    const onClose = (): void => {
      cleanup();
      reject(new QueryOutputClosedError());
    };
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}
