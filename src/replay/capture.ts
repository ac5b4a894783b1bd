import type { CdxjEntry } from '../warc/index.js';

/**
 * One capture as the index returns it: a CDXJ line's fields (`filename` is the WARC base name for
 * a run, the file's name for a `--warc` file; `digest` is `-` when unknown), where its record
 * lives, and its timeline data.
 */
export interface Capture extends CdxjEntry {
  readonly warcPath: string;
  /** Which source it came from: `run:ID` or `warc:PATH`. */
  readonly source: string;
  /** Change against the previous distinct capture, 0..1 (null for the first one). */
  readonly change: number | null;
  /** Whether the previous capture of the URL had the same digest (collapsed in timelines). */
  readonly dup: boolean;
}
