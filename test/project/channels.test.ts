import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src/channels/index.js';
import { sourceFiles } from '../helpers/source-files.js';

describe('the channel catalog (src/channels/catalog.ts)', () => {
  it('is the only place in src/ that spells a channel name, and names each channel once', async () => {
    const strays: string[] = [];
    for await (const { path, text } of sourceFiles()) {
      if (path === 'src/channels/catalog.ts') continue;
      for (const m of text.matchAll(/['"](jarvix:[a-z-]+(?::[a-z-]+)+)['"]/g)) strays.push(`${m[1]} (${path})`);
    }
    expect(strays, 'publish through jarvixChannel(key) from src/channels').toEqual([]);
    const names = Object.values(CHANNELS);
    expect(new Set(names).size).toBe(names.length);
  });
});
