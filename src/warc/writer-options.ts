import { InvalidOptionError } from '../errors/index.js';
import { is, resolveOptions, type Checks } from '../options/index.js';
import { NAME_PART } from './file-names.js';

export interface WarcWriterOptions {
  /** The run's `warc/` folder. */
  dir: string;
  /** The run's `index/` folder (one CDXJ per WARC). */
  indexDir: string;
  run: string;
  worker: string;
  /** Extra `warcinfo` fields (e.g. the run config as JSON). */
  warcinfo?: Record<string, string>;
  /** Rotate to a new file once this many bytes are written (default 1 GiB). */
  maxFileBytes?: number;
  /** gzip level of each record member (default 6, zlib's default). */
  gzipLevel?: number;
  /** Payload digests remembered for revisit records (an LRU; default 100,000, ~25 MB). */
  dedupMaxEntries?: number;
  /** Records with a larger block are streamed into the file instead of compressed in memory (default 1 MiB). */
  streamThresholdBytes?: number;
}

export type ResolvedWriterOptions = Required<WarcWriterOptions>;

const DEFAULTS: ResolvedWriterOptions = {
  dir: '',
  indexDir: '',
  run: '',
  worker: '',
  warcinfo: {},
  maxFileBytes: 1024 * 1024 * 1024,
  gzipLevel: 6,
  dedupMaxEntries: 100_000,
  streamThresholdBytes: 1024 * 1024,
};

const isName = (v: unknown): v is string => typeof v === 'string' && NAME_PART.test(v);
const isFields = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.entries(v).every(([k, x]) => /^[!-9;-~]+$/.test(k) && typeof x === 'string');

const CHECKS: Checks<ResolvedWriterOptions> = {
  dir: [is.nonEmptyString, 'a directory path'],
  indexDir: [is.nonEmptyString, 'a directory path'],
  run: [isName, '1-128 letters, digits, - or _'],
  worker: [isName, '1-128 letters, digits, - or _'],
  warcinfo: [isFields, 'an object of string fields with token names'],
  maxFileBytes: [is.int(1024), 'an integer >= 1024'],
  gzipLevel: [is.int(0, 9), 'an integer from 0 to 9'],
  dedupMaxEntries: [is.int(0), 'an integer >= 0'],
  streamThresholdBytes: [is.int(0), 'an integer >= 0'],
};

export function resolveWriterOptions(given: WarcWriterOptions): ResolvedWriterOptions {
  const o = resolveOptions('WarcWriter', DEFAULTS, CHECKS, given);
  for (const key of ['dir', 'indexDir', 'run', 'worker'] as const) {
    if (o[key] === '') throw new InvalidOptionError(`WarcWriter.${key}`, CHECKS[key][1], given[key]);
  }
  return o;
}
