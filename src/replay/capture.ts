/** One capture as the index returns it: a CDXJ line's fields, where its record lives, and its timeline data. */
export interface Capture {
  readonly urlkey: string;
  /** 14 digits, UTC. */
  readonly timestamp: string;
  readonly url: string;
  readonly mime: string;
  /** HTTP status as text, `-` when the record has none (revisits of some writers). */
  readonly status: string;
  /** Payload digest, bare base32 sha1, `-` when unknown. */
  readonly digest: string;
  /** Compressed bytes of the record, and where it starts in `warcPath`. */
  readonly length: number;
  readonly offset: number;
  /** The CDXJ `filename` (WARC base name for a run, path as given for a `--warc` file). */
  readonly filename: string;
  readonly warcPath: string;
  /** Which source it came from: `run:ID` or `warc:PATH`. */
  readonly source: string;
  /** Change against the previous distinct capture, 0..1 (null for the first one). */
  readonly change: number | null;
  /** Whether the previous capture of the URL had the same digest (collapsed in timelines). */
  readonly dup: boolean;
}
