import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
// @ts-expect-error: a plain .mjs script without types
import { missingPlatformEntries } from '../../scripts/lock-platform-packages.mjs';

describe('package-lock.json', () => {
  it('lists every platform build of native packages, so `npm ci` accepts it on a fresh machine', async () => {
    const lock = JSON.parse(await readFile(new URL('../../package-lock.json', import.meta.url), 'utf8')) as object;
    const missing = (missingPlatformEntries(lock) as [string, unknown][]).map(([key]) => key);
    expect(missing, 'run: node scripts/lock-platform-packages.mjs').toEqual([]);
  });
});
