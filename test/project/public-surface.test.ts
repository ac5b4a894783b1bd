import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import * as api from '../../src/index.js';

describe('the public library surface', () => {
  it('documents in the README every name src/index.ts exports, and exports every name the README promises', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /## As a library\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const documented = new Set([...section.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1]!));
    const exported = Object.keys(api);
    expect(exported.filter((name) => !documented.has(name)), 'exported but missing from README "As a library"').toEqual([]);
    // Type-only names vanish at run time; check the runtime ones the README lists do exist.
    const runtimeLooking = [...documented].filter((n) => /^[a-z]/.test(n) || /^[A-Z][A-Z_]+$/.test(n));
    expect(runtimeLooking.filter((n) => !(n in api) && !['jarvix', 'code'].includes(n)), 'listed in the README but not exported').toEqual([]);
    // Internals stay internal.
    for (const internal of ['recoverShards', 'repairWarcs', 'HostHealth', 'StagePool', 'AutoscaledPool', 'DatasetWriter']) expect(exported).not.toContain(internal);
  });
});
