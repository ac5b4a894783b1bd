import type { CaptureIndex } from '../replay/index.js';

/** What every route module may use. */
export interface ServeContext {
  readonly index: CaptureIndex;
  /** WACZ files served at `/wacz/<name>`: base name to path. */
  readonly wacz: ReadonlyMap<string, string>;
  /** Labels of the sources served (`run:ID`, `warc:PATH`). */
  readonly sources: readonly string[];
  /** The data folder and the run ids served (`--run`): what the web UI, search and graph routes read. */
  readonly dataDir?: string;
  readonly runs?: readonly string[];
}

export const WEB = '/web/';
export const archiveUrl = (ts: string, mod: string, url: string): string => `${WEB}${ts}${mod}/${url}`;
