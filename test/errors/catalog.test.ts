import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { ERROR_CODES, isOverload, isRefusal } from '../../src/errors/index.js';
import { renderErrorsDocs } from '../../src/errors/docs-render.js';
import { ANOMALY_CODES } from '../../src/warc/index.js';
import { anomalyErrorCode } from '../../src/warc/verify.js';
import { sourceFiles } from '../helpers/source-files.js';


describe('the error code catalog (src/errors/codes.ts)', () => {
  it('holds every JVX_ERR_* code written in src/', async () => {
    const missing = new Map<string, string>();
    for await (const { path, text } of sourceFiles()) {
      // A code ends in a letter or digit; `JVX_ERR_WARC_${…}` and prefix tests ('JVX_ERR_') end in `_`.
      for (const m of text.matchAll(/JVX_ERR_[A-Z0-9_]*[A-Z0-9](?![A-Z0-9_$])/g)) {
        if (!(m[0] in ERROR_CODES)) missing.set(m[0], path);
      }
    }
    const list = [...missing].map(([code, path]) => `${code} (${path})`);
    expect(list, `add these codes with their meaning to src/errors/codes.ts, then regenerate docs/errors.md:\n${list.join('\n')}`).toEqual([]);
  });

  it('holds the code verify reports for every lenient-reader anomaly', () => {
    const missing = ANOMALY_CODES.map(anomalyErrorCode).filter((c) => !(c in ERROR_CODES));
    expect(missing).toEqual([]);
  });

  it('classes policy and robots refusals, and fetch timeouts and 429 as overload', () => {
    expect(isRefusal('JVX_ERR_ROBOTS_DISALLOWED')).toBe(true);
    expect(isRefusal('JVX_ERR_POLICY_PATH_BLOCKED')).toBe(true);
    expect(isRefusal('JVX_ERR_FETCH_HOST_GIVEN_UP')).toBe(false);
    expect(isRefusal('JVX_ERR_FETCH_REDIRECT_REFUSED')).toBe(false);
    for (const code of Object.keys(ERROR_CODES)) {
      if (code.startsWith('JVX_ERR_POLICY_') && !/_BAD_/.test(code)) expect(isRefusal(code), code).toBe(true);
      if (code.startsWith('JVX_ERR_FETCH_TIMEOUT_')) expect(isOverload(code), code).toBe(true);
    }
    expect(isOverload('JVX_ERR_HTTP_429')).toBe(true);
    expect(isOverload('JVX_ERR_STAGE_TIMEOUT')).toBe(false);
    expect(isOverload('JVX_ERR_FETCH_DNS')).toBe(false);
  });

  it('is what docs/errors.md lists (regenerate: node --import tsx src/errors/docs.ts > docs/errors.md)', async () => {
    const onDisk = await readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderErrorsDocs());
  });
});
