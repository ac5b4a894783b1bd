import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The package version, written into WARC warcinfo records and run manifests. */
export const VERSION: string = pkg.version;
export const SOFTWARE = `jarvix/${VERSION}`;
