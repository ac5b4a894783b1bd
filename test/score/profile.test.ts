import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, loadProfile, parseProfile, validateProfile } from '../../src/score/index.js';
import { tempDir } from '../helpers/tmp.js';

const invalid = (path: string) => expect.objectContaining({ code: 'JVX_ERR_SCORE_PROFILE_INVALID', path });

describe('scoring profiles', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(async () => {
    await cleanup();
  });

  it('loads YAML and JSON files, filling what they leave out from the default', async () => {
    const yaml = join(dir, 'p.yaml');
    await writeFile(yaml, 'name: shop\nweights:\n  buy_intent: 40\nthresholds:\n  buy: 80\n');
    const p = await loadProfile(yaml);
    expect(p.name).toBe('shop');
    expect(p.weights).toEqual({ ...DEFAULT_PROFILE.weights, buy_intent: 40 });
    expect(p.thresholds).toEqual({ buy: 80, monitor: 50 });
    expect(p.quality).toEqual(DEFAULT_PROFILE.quality);

    const json = join(dir, 'p.json');
    await writeFile(json, JSON.stringify({ weights: { errors: -10 } }));
    expect((await loadProfile(json)).weights.errors).toBe(-10);
  });

  it('names the field path of a bad value', () => {
    expect(() => validateProfile({ weights: { buy_intent: 'high' } })).toThrow(invalid('weights.buy_intent'));
    expect(() => validateProfile({ weights: { buy_itent: 30 } })).toThrow(invalid('weights.buy_itent'));
    expect(() => validateProfile({ quality: { title: 500 } })).toThrow(invalid('quality.title'));
    expect(() => validateProfile({ thresholds: 5 })).toThrow(invalid('thresholds'));
    expect(() => validateProfile({ name: '' })).toThrow(invalid('name'));
    expect(() => validateProfile({ unknown: 1 })).toThrow(invalid('unknown'));
    expect(() => validateProfile([])).toThrow(invalid(''));
  });

  it('checks rules across fields: quality points sum to 100, buy above monitor', () => {
    expect(() => validateProfile({ quality: { title: 25 } })).toThrow(invalid('quality'));
    expect(() => validateProfile({ quality: { title: 25, description: 0 } })).not.toThrow();
    expect(() => validateProfile({ thresholds: { buy: 40 } })).toThrow(invalid('thresholds.buy'));
  });

  it('reports unreadable files and syntax errors with the same code, naming the file', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'weights: [unclosed\n');
    await expect(loadProfile(bad)).rejects.toMatchObject({ code: 'JVX_ERR_SCORE_PROFILE_INVALID', source: bad });
    await expect(loadProfile(join(dir, 'missing.yaml'))).rejects.toMatchObject({ code: 'JVX_ERR_SCORE_PROFILE_INVALID' });
    expect(() => parseProfile('{"weights": {"quality": 0.4,}}', 'x.json')).toThrow(invalid(''));
    const err = (() => {
      try {
        parseProfile('weights:\n  quality: nope\n', 'shop.yaml');
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err?.message).toContain('shop.yaml');
    expect(err?.message).toContain('weights.quality');
  });
});
