import { describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import { h, qs } from '../../src/serve/ui/layout.js';
import { urlWhere } from '../../src/serve/ui/urls-view.js';
import { paging, urlParam } from '../../src/serve/ui/errors.js';
import { runState } from '../../src/serve/ui/run-data.js';
import type { RunManifest } from '../../src/run/index.js';

describe('web UI parameters', () => {
  it('escapes every HTML-significant character, quotes included', () => {
    expect(h(`<img src=x onerror="alert(1)">'&`)).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;');
    expect(h(null)).toBe('');
  });

  it('builds URL filters as SQL literals and refuses bad values with a coded error', () => {
    expect(urlWhere({ host: "Ex'ample.com", status: '404', action: 'buy', text: "50%_o'k" })).toBe(
      "url_host_name = 'ex''ample.com' AND fetch_status = 404 AND action = 'BUY' AND (url ILIKE '%50\\%\\_o''k%' ESCAPE '\\' OR title ILIKE '%50\\%\\_o''k%' ESCAPE '\\')",
    );
    expect(urlWhere({ host: '', status: 'none', action: 'unscored', text: '' })).toBe('fetch_status IS NULL AND action IS NULL');
    expect(() => urlWhere({ host: '', status: '1; DROP', action: '', text: '' })).toThrow(expect.objectContaining({ code: 'JVX_ERR_UI_BAD_PARAM', status: 400 }));
    expect(() => urlWhere({ host: '', status: '', action: 'steal', text: '' })).toThrow(/action must be BUY, MONITOR, SKIP, unscored/);
  });

  it('checks paging and URL parameters', () => {
    expect(paging(new URLSearchParams('limit=10&offset=20'))).toEqual({ limit: 10, offset: 20 });
    expect(() => paging(new URLSearchParams('limit=0'))).toThrow(/limit must be an integer 1..500/);
    expect(() => paging(new URLSearchParams('offset=-1'))).toThrow(/offset/);
    expect(urlParam(new URLSearchParams('url=http://a.test/x?y=1'))).toBe('http://a.test/x?y=1');
    expect(() => urlParam(new URLSearchParams('url=javascript:alert(1)'))).toThrow(/url must be an absolute http\(s\) URL/);
    expect(qs({ a: 'x y', b: '', c: null, d: 2 })).toBe('?a=x+y&d=2');
  });

  it('reads a run as interrupted when its open session\'s process is gone', () => {
    const m = (pid: number, finishedAt: string | null, status: RunManifest['status'] = 'running', host = hostname()): RunManifest =>
      ({ status, sessions: [{ pid, finishedAt, host }] }) as unknown as RunManifest;
    expect(runState(m(process.pid, null))).toBe('running');
    expect(runState(m(2 ** 22 + 12345, null))).toBe('interrupted');
    expect(runState(m(1, null, 'finished'))).toBe('finished');
    expect(runState(m(2 ** 22 + 12345, null, 'running', 'another-machine'))).toBe('running');
    expect(runState(undefined)).toBe('unknown');
  });
});
