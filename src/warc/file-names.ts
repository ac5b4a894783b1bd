import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { timestamp17 } from './warc-date.js';

/** Run and worker ids become parts of file names, so they stay within this alphabet. */
export const NAME_PART = /^[A-Za-z0-9_-]{1,128}$/;

/** `jarvix-<run>-<yyyymmddhhmmssSSS>-<worker>-<seq>.warc.gz`: sorts by time, carries run, worker and sequence. */
export function warcFileName(run: string, worker: string, seq: number, epochMs: number): string {
  return `jarvix-${run}-${timestamp17(epochMs)}-${worker}-${String(seq).padStart(5, '0')}.warc.gz`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The sequence number of a file written by `worker`, or undefined when the file is not one of its WARCs. */
export function workerSequence(name: string, worker: string): number | undefined {
  const m = new RegExp(`^jarvix-.+-\\d{17}-${escapeRe(worker)}-(\\d{5,})\\.warc\\.gz$`).exec(basename(name));
  return m ? Number(m[1]) : undefined;
}

/** This worker's WARC files in `dir`, oldest first (by sequence). */
export async function listWorkerWarcs(dir: string, worker: string): Promise<{ name: string; seq: number }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: { name: string; seq: number }[] = [];
  for (const name of names) {
    const seq = workerSequence(name, worker);
    if (seq !== undefined) out.push({ name, seq });
  }
  return out.sort((a, b) => a.seq - b.seq || (a.name < b.name ? -1 : 1));
}

export function isWarcFileName(name: string): boolean {
  return /\.(warc|arc)(\.gz)?$/i.test(name);
}

/** `index/<warc name>.cdxj` */
export function cdxjNameFor(warcName: string): string {
  return `${basename(warcName)}.cdxj`;
}
