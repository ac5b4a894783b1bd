import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renameDurable } from '../../fs/index.js';

/**
 * What `collect --repair` wrote off (docs/check.md, "Repair"): committed shards that are gone for
 * good (their URLs were fetched again into new shards) and WARC files accepted at a shorter length
 * than their checkpoint says (their lost records were fetched again into new files). `check` and
 * resume read it so a healed run checks clean; it only ever grows.
 */
export interface RepairLedger {
  writtenOffShards: string[];
  /** WARC file name (bare) → the length accepted after repair. */
  acceptedWarcLengths: Record<string, number>;
}

export const ledgerPath = (runDir: string): string => join(runDir, '.repair', 'ledger.json');

export async function readLedger(runDir: string): Promise<RepairLedger> {
  try {
    const l = JSON.parse(await readFile(ledgerPath(runDir), 'utf8')) as Partial<RepairLedger>;
    return { writtenOffShards: l.writtenOffShards ?? [], acceptedWarcLengths: l.acceptedWarcLengths ?? {} };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { writtenOffShards: [], acceptedWarcLengths: {} };
    throw err;
  }
}

/** Atomic replace (temp, fsync, rename): a crash leaves the old ledger or the new one. */
export async function writeLedger(runDir: string, ledger: RepairLedger): Promise<void> {
  const path = ledgerPath(runDir);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(`${JSON.stringify(ledger, null, 2)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await renameDurable(tmp, path);
}
