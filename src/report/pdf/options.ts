import { availableParallelism } from 'node:os';
import { is, resolveOptions, type Checks } from '../../options/index.js';

export interface PdfPrinterOptions {
  /** The Chromium binary; Debian's package `chromium` installs /usr/bin/chromium. */
  executablePath: string;
  /** Browser pages printing at once: the pool that a whole batch shares in one browser. */
  concurrency: number;
  /** Longest one PDF may take (content load plus printing). */
  timeoutMs: number;
  /** Paper format Chromium understands (A4, Letter…). */
  format: string;
}

export const PDF_DEFAULTS = (): PdfPrinterOptions => ({
  executablePath: '/usr/bin/chromium',
  concurrency: Math.max(1, Math.min(4, availableParallelism())),
  timeoutMs: 120_000,
  format: 'A4',
});

const checks: Checks<PdfPrinterOptions> = {
  executablePath: [is.nonEmptyString, 'a path to a Chromium binary'],
  concurrency: [is.int(1, 64), 'an integer 1..64'],
  timeoutMs: [is.int(1000, 3_600_000), 'an integer 1000..3600000 (ms)'],
  format: [is.oneOf('A4', 'A3', 'A5', 'Letter', 'Legal', 'Tabloid'), 'A3, A4, A5, Letter, Legal or Tabloid'],
};

export function resolvePdfOptions(given?: Partial<PdfPrinterOptions>): PdfPrinterOptions {
  return resolveOptions('pdf', PDF_DEFAULTS(), checks, given);
}

/**
 * Chromium must not reach the network on its own (component updates, sync, field trials): without
 * these flags it tries, and in a closed network each attempt waits for a timeout.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
