import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { ZipEntryWritten } from './zip-writer.js';

export const WACZ_VERSION = '1.1.1';

/** One resource of datapackage.json (Frictionless Data Package, as WACZ 1.1.1 uses it). */
export interface DataPackageResource {
  readonly name: string;
  readonly path: string;
  readonly hash: string;
  readonly bytes: number;
}

export interface DataPackage {
  readonly profile: 'data-package';
  readonly wacz_version: string;
  readonly title?: string;
  readonly software: string;
  readonly created: string;
  readonly resources: readonly DataPackageResource[];
}

export function dataPackage(entries: readonly ZipEntryWritten[], meta: { title: string; software: string; created: Date }): DataPackage {
  return {
    profile: 'data-package',
    wacz_version: WACZ_VERSION,
    title: meta.title,
    software: meta.software,
    created: meta.created.toISOString(),
    resources: entries.map((e) => ({ name: basename(e.name).toLowerCase(), path: e.name, hash: e.sha256, bytes: e.bytes })),
  };
}

/** datapackage-digest.json: the hash of datapackage.json's exact bytes (not listed in its resources). */
export function dataPackageDigest(datapackageBytes: Buffer): { path: string; hash: string } {
  return { path: 'datapackage.json', hash: `sha256:${createHash('sha256').update(datapackageBytes).digest('hex')}` };
}
